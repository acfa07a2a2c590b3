using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Walks a configuration document beside the source-generated metadata of its file model before
/// System.Text.Json reads it, so that an unknown key, a missing required key, a value of the wrong
/// JSON kind or a number out of its [Range] is refused with the exact path of the value (the
/// index in an array included) and in the loader's words. Everything it knows of keys, kinds,
/// ranges and required keys comes from that metadata: the model is the one list of keys.
/// </summary>
public static class ConfigurationShapeCheck
{
    /// <summary>Throws <see cref="ConfigurationException"/> at the first value that does not fit <paramref name="type"/>.</summary>
    public static void Check(JsonElement element, JsonTypeInfo type, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(type);
        CheckValue(element, type, null, path);
    }

    /// <summary>Keys of an object in the model, as the file spells them; keys starting with "$" (editors' "$schema") left out.</summary>
    public static IEnumerable<string> KeysOf(JsonTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Properties.Select(p => p.Name).Where(name => !name.StartsWith('$'));
    }

    public static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new ConfigurationException(path, $"expected {(kind == JsonValueKind.Object ? "an object" : "an array")}, got {element.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    public static void NonEmptyString(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 })
        {
            throw new ConfigurationException(path, $"expected a non-empty string, got {element.GetRawText()}");
        }
    }

    /// <summary>The [Range] of a property as whole numbers, else the range of its integer type.</summary>
    public static (long Minimum, long Maximum) RangeOf(JsonPropertyInfo? property, Type integerType)
    {
        if (property?.AttributeProvider?.GetCustomAttributes(typeof(RangeAttribute), inherit: true) is [RangeAttribute range, ..])
        {
            return (Convert.ToInt64(range.Minimum, CultureInfo.InvariantCulture), Convert.ToInt64(range.Maximum, CultureInfo.InvariantCulture));
        }

        return Type.GetTypeCode(integerType) switch
        {
            TypeCode.Byte => (byte.MinValue, byte.MaxValue),
            TypeCode.UInt16 => (ushort.MinValue, ushort.MaxValue),
            TypeCode.Int32 => (int.MinValue, int.MaxValue),
            TypeCode.UInt32 => (uint.MinValue, uint.MaxValue),
            TypeCode.Int64 => (long.MinValue, long.MaxValue),
            _ => throw new InvalidOperationException($"the configuration model uses {integerType}, which the shape check does not know"),
        };
    }

    private static void CheckValue(JsonElement element, JsonTypeInfo type, JsonPropertyInfo? property, string path)
    {
        if ((property?.CustomConverter ?? type.Converter) is IConfigurationShape shape)
        {
            shape.Check(element, path);
            return;
        }

        switch (type.Kind)
        {
            case JsonTypeInfoKind.Object:
                CheckObject(element, type, path);
                break;
            case JsonTypeInfoKind.Enumerable:
                Expect(element, JsonValueKind.Array, path);
                var itemType = type.Options.GetTypeInfo(type.ElementType!);
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckValue(item, itemType, null, $"{path}[{index++}]");
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                Expect(element, JsonValueKind.Object, path);
                var valueType = type.Options.GetTypeInfo(type.ElementType!);
                foreach (var entry in element.EnumerateObject())
                {
                    CheckValue(entry.Value, valueType, null, $"{path}.{entry.Name}");
                }

                break;
            default:
                CheckScalar(element, Nullable.GetUnderlyingType(type.Type) ?? type.Type, property, path);
                break;
        }
    }

    private static void CheckObject(JsonElement element, JsonTypeInfo type, string path)
    {
        Expect(element, JsonValueKind.Object, path);

        // Keys first, then required keys, then values: a typo is reported before what it hides.
        var byName = type.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (!byName.ContainsKey(entry.Name))
            {
                throw new ConfigurationException($"{path}.{entry.Name}", $"unknown key; expected one of {string.Join(", ", KeysOf(type))}");
            }
        }

        foreach (var property in type.Properties)
        {
            if (RequiredOf(property) is { } required && !element.TryGetProperty(property.Name, out _))
            {
                throw new ConfigurationException($"{path}.{property.Name}", required.ErrorMessage ?? "is required");
            }
        }

        foreach (var entry in element.EnumerateObject())
        {
            var property = byName[entry.Name];
            CheckValue(entry.Value, type.Options.GetTypeInfo(property.PropertyType), property, $"{path}.{entry.Name}");
        }
    }

    /// <summary>The property's [Required], which the schema also reads.</summary>
    public static RequiredAttribute? RequiredOf(JsonPropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.AttributeProvider?.GetCustomAttributes(typeof(RequiredAttribute), inherit: true) is [RequiredAttribute required, ..] ? required : null;
    }

    private static void CheckScalar(JsonElement element, Type type, JsonPropertyInfo? property, string path)
    {
        if (type == typeof(JsonElement))
        {
            return;
        }

        if (type == typeof(string))
        {
            NonEmptyString(element, path);
        }
        else if (type == typeof(bool))
        {
            if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new ConfigurationException(path, $"expected true or false, got {element.GetRawText()}");
            }
        }
        else
        {
            var (minimum, maximum) = RangeOf(property, type);
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long number) || number < minimum || number > maximum)
            {
                throw new ConfigurationException(path, $"expected a whole number from {minimum} to {maximum}, got {element.GetRawText()}");
            }
        }
    }
}
