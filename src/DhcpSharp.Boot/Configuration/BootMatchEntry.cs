using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Boot.Configuration;

/// <summary>A boot rule's "match", as written: every condition that is set must hold.</summary>
public sealed record BootMatchEntry
{
    [JsonConverter(typeof(CodeOrNameListConverter))]
    [Description("Option 93 codes or names (bios, uefi-x64, …).")]
    public IReadOnlyList<JsonElement>? Architecture { get; init; }

    public string? VendorClassPrefix { get; init; }

    public string? UserClass { get; init; }

    [Description("true: only iPXE; false: only firmware that is not iPXE.")]
    public bool? Ipxe { get; init; }

    [RegularExpression(ConfigurationPatterns.HardwareAddress)]
    public string? Mac { get; init; }

    [RegularExpression(ConfigurationPatterns.HardwareAddress)]
    public string? MacPrefix { get; init; }

    [Description("The client's machine UUID (option 97).")]
    public string? Uuid { get; init; }

    public string? Interface { get; init; }
}
