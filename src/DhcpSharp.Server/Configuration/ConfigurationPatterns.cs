using System.Text.Json.Nodes;

namespace DhcpSharp.Server.Configuration;

/// <summary>Regular expressions the JSON Schema gives for text values (editors check them; the loader parses for real).</summary>
public static class ConfigurationPatterns
{
    public const string IPv4 = @"^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$";

    public const string HardwareAddress = "^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){0,15}$";

    public const string Hex = "^([0-9A-Fa-f]{2}[:-]?)*$";

    public const string HttpUrl = "^https?://";

    internal static JsonObject IPv4Schema() => new() { ["type"] = "string", ["pattern"] = IPv4 };

    internal static JsonObject HexSchema() => new() { ["type"] = "string", ["pattern"] = Hex };
}
