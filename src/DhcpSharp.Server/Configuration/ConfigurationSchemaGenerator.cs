using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// The JSON Schema of a configuration file, exported from its file model's source-generated
/// metadata: [Description], [Range], [DefaultValue], [RegularExpression] and [Required] on the
/// model's properties become description, minimum/maximum, default, pattern and required; every
/// object refuses other keys; a converter's <see cref="IConfigurationShape"/> gives its own
/// schema; "options" objects refer to one definition built from the option table.
/// </summary>
public static class ConfigurationSchemaGenerator
{
    private const string OptionsDefinition = "options";

    public static string Generate(JsonTypeInfo root, string title, string description)
    {
        ArgumentNullException.ThrowIfNull(root);
        var exporterOptions = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = Transform };
        var exported = JsonSchemaExporter.GetJsonSchemaAsNode(root, exporterOptions).AsObject();
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://dhcpsharp.invalid/schemas/dhcpsharp.schema.json",
            ["title"] = title,
            ["description"] = description,
        };
        foreach (var (key, value) in exported.ToList())
        {
            exported.Remove(key);
            schema[key] = value;
        }

        schema["$defs"] = new JsonObject { [OptionsDefinition] = OptionValueConfiguration.Schema() };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        // The loader refuses null for every key (leave the key out instead), so the schema does too.
        if (schema["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null"))
        {
            var rest = types.Where(t => t?.GetValue<string>() != "null").Select(t => t!.GetValue<string>()).ToList();
            schema["type"] = rest.Count == 1 ? rest[0] : new JsonArray([.. rest.Select(t => JsonValue.Create(t))]);
        }

        if (context.TypeInfo.Type == typeof(IReadOnlyDictionary<string, JsonElement>))
        {
            schema = new JsonObject { ["$ref"] = $"#/$defs/{OptionsDefinition}" };
        }
        else if ((context.PropertyInfo?.CustomConverter ?? context.TypeInfo.Converter) is IConfigurationShape shape)
        {
            schema = shape.Schema();
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            schema["additionalProperties"] = false;
            var required = context.TypeInfo.Properties.Where(p => ConfigurationShapeCheck.RequiredOf(p) is not null).Select(p => JsonValue.Create(p.Name)).ToArray();
            if (required.Length > 0)
            {
                schema["required"] = new JsonArray(required);
            }
        }

        if (context.PropertyInfo?.AttributeProvider is { } attributes)
        {
            Annotate(schema, attributes);
        }

        return schema;
    }

    private static void Annotate(JsonObject schema, System.Reflection.ICustomAttributeProvider attributes)
    {
        foreach (var attribute in attributes.GetCustomAttributes(inherit: true))
        {
            switch (attribute)
            {
                case DescriptionAttribute d:
                    schema["description"] = d.Description;
                    break;
                case RangeAttribute r:
                    schema["minimum"] = Convert.ToInt64(r.Minimum, CultureInfo.InvariantCulture);
                    schema["maximum"] = Convert.ToInt64(r.Maximum, CultureInfo.InvariantCulture);
                    break;
                case DefaultValueAttribute { Value: { } value }:
                    schema["default"] = value switch
                    {
                        bool b => b,
                        string s => s,
                        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                    };
                    break;
                case RegularExpressionAttribute p:
                    schema["pattern"] = p.Pattern;
                    break;
            }
        }
    }
}
