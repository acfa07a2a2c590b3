using System.Text.Json;
using System.Text.Json.Nodes;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// A value shape that its CLR type does not tell (such as "a string or an array of strings"),
/// implemented by the property's JSON converter: one place says how the value is read, how a
/// wrong value is refused (with its exact path) and what the JSON Schema says of it.
/// </summary>
public interface IConfigurationShape
{
    /// <summary>Throws <see cref="ConfigurationException"/> naming <paramref name="path"/> (or an item under it) when the value does not fit.</summary>
    void Check(JsonElement value, string path);

    /// <summary>The JSON Schema of the value.</summary>
    JsonObject Schema();
}
