using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DhcpSharp.Server.Configuration;

/// <summary>"eth0" or ["eth0", "eth1"]: one non-empty string, or an array of them.</summary>
public sealed class StringListConverter : JsonConverter<IReadOnlyList<string>>, IConfigurationShape
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString()!];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a string or an array of strings");
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("expected a non-empty string"));
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

    public void Check(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            ConfigurationShapeCheck.NonEmptyString(value, path);
            return;
        }

        ConfigurationShapeCheck.Expect(value, JsonValueKind.Array, path);
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 })
            {
                throw new ConfigurationException($"{path}[{index}]", "expected a non-empty string");
            }

            index++;
        }
    }

    public JsonObject Schema() => new()
    {
        ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }),
    };
}
