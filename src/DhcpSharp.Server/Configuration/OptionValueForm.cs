using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Server.Configuration;

/// <summary>The configuration form of one option: how its JSON value is read and what the schema says of it.</summary>
internal abstract class OptionValueForm
{
    public abstract bool TryEncode(JsonElement value, [NotNullWhen(true)] out byte[]? data, [NotNullWhen(false)] out string? error);

    public abstract JsonObject Schema();

    public static JsonObject Integer(long minimum, long maximum) => new() { ["type"] = "integer", ["minimum"] = minimum, ["maximum"] = maximum };

    public static JsonObject OneOrMany(JsonObject item) =>
        new() { ["oneOf"] = new JsonArray(item, new JsonObject { ["type"] = "array", ["items"] = item.DeepClone() }) };

    /// <summary>A kind this layer knows: parse the JSON into the value type, then encode through the definition.</summary>
    public sealed class Typed<T>(DhcpOptionDefinition<T> definition, OptionValueParser<T> parse, Func<JsonObject>? schema) : OptionValueForm
        where T : notnull
    {
        public override bool TryEncode(JsonElement value, [NotNullWhen(true)] out byte[]? data, [NotNullWhen(false)] out string? error)
        {
            if (!parse(value, out var parsed, out error))
            {
                data = null;
                return false;
            }

            return OptionValueParsers.TryEncode(() => definition.Encode(parsed), out data, out error);
        }

        // Kinds without a schema of their own accept anything the loader then checks.
        public override JsonObject Schema() => schema?.Invoke() ?? new JsonObject();
    }

    /// <summary>A value type this layer has no form for (a codec of the application's own): hex bytes, as sent.</summary>
    public sealed class RawHex(DhcpOptionDefinition definition) : OptionValueForm
    {
        public override bool TryEncode(JsonElement value, [NotNullWhen(true)] out byte[]? data, [NotNullWhen(false)] out string? error)
        {
            if (OptionValueParsers.Hex(value, out data, out error))
            {
                return true;
            }

            error = $"option {definition.Code} ({definition.KindName}) has no configuration form; give its value as hex bytes ({error})";
            return false;
        }

        public override JsonObject Schema() => ConfigurationPatterns.HexSchema();
    }
}
