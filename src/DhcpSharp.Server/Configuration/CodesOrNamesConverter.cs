using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Values named by a code or a name ("uefi-x64" or 7, "router" or 3), kept as JSON so the
/// validation pass can quote them as written in its errors.
/// </summary>
public abstract class CodesOrNamesConverter(bool allowSingle) : JsonConverter<IReadOnlyList<JsonElement>>, IConfigurationShape
{
    public override IReadOnlyList<JsonElement> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = JsonElement.ParseValue(ref reader);
        return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()]
            : allowSingle ? [value]
            : throw new JsonException("expected an array");
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<JsonElement> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var item in value)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    /// <summary>Only the outer shape: which codes and names exist is the validation pass's to say.</summary>
    public void Check(JsonElement value, string path)
    {
        if (!allowSingle || value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            ConfigurationShapeCheck.Expect(value, JsonValueKind.Array, path);
        }
    }

    public JsonObject Schema()
    {
        var item = new JsonObject { ["type"] = new JsonArray("string", "integer") };
        var array = new JsonObject { ["type"] = "array", ["items"] = item.DeepClone() };
        return allowSingle ? new JsonObject { ["oneOf"] = new JsonArray(item, array) } : array;
    }
}
