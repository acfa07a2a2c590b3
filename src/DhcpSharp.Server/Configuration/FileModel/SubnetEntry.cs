using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace DhcpSharp.Server.Configuration.FileModel;

/// <summary>One element of "subnets", as written.</summary>
public sealed record SubnetEntry
{
    [Required(ErrorMessage = "is required (for example \"192.168.1.0/24\")")]
    [Description("CIDR, e.g. 192.168.1.0/24.")]
    public string Subnet { get; init; } = "";

    public string? Interface { get; init; }

    public string? SharedNetwork { get; init; }

    [Seconds]
    [Description("Lease time in seconds for this subnet; default the global leaseTime.")]
    public long? LeaseTime { get; init; }

    public IReadOnlyList<PoolEntry>? Pools { get; init; }

    public IReadOnlyList<ReservationEntry>? Reservations { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }
}
