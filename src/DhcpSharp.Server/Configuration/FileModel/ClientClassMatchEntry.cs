using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DhcpSharp.Server.Configuration.FileModel;

/// <summary>A class's "match": conditions, every one that is set must hold (at least one).</summary>
public sealed record ClientClassMatchEntry
{
    public string? VendorClassPrefix { get; init; }

    public string? VendorClassContains { get; init; }

    public string? UserClass { get; init; }

    [JsonConverter(typeof(CodeOrNameListConverter))]
    [Description("Option 93 codes or names (bios, uefi-x64, …).")]
    public IReadOnlyList<JsonElement>? Architecture { get; init; }

    [RegularExpression(ConfigurationPatterns.Hex)]
    public string? CircuitId { get; init; }

    [RegularExpression(ConfigurationPatterns.Hex)]
    public string? RemoteId { get; init; }

    [RegularExpression(ConfigurationPatterns.HardwareAddress)]
    public string? MacPrefix { get; init; }
}
