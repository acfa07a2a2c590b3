using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace DhcpSharp.Server.Configuration.FileModel;

/// <summary>One element of a subnet's "reservations", as written: exactly one of mac, macPrefix and clientId.</summary>
public sealed record ReservationEntry
{
    [RegularExpression(ConfigurationPatterns.HardwareAddress)]
    public string? Mac { get; init; }

    [RegularExpression(ConfigurationPatterns.HardwareAddress)]
    [Description("Every client whose MAC starts with these bytes; no fixed address then.")]
    public string? MacPrefix { get; init; }

    [RegularExpression(ConfigurationPatterns.Hex)]
    [Description("Option 61 including the type byte.")]
    public string? ClientId { get; init; }

    [RegularExpression(ConfigurationPatterns.IPv4)]
    public string? Address { get; init; }

    public string? Hostname { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }
}
