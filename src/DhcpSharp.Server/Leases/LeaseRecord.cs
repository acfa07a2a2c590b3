using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// One address binding as the store keeps it. <see cref="Version"/> is the store's: it grows with
/// every write of the row, so a conditional write can say "only if nobody changed it since".
/// </summary>
public sealed record LeaseRecord(
    IPv4Address Address,
    string ClientKey,
    byte HardwareType,
    byte[] HardwareAddress,
    byte[]? ClientIdentifier,
    string? HostName,
    LeaseState State,
    DateTimeOffset Start,
    DateTimeOffset Expires)
{
    public long Version { get; init; }

    /// <summary>The server that wrote the row (several may share one store).</summary>
    public string? Server { get; init; }

    /// <summary>Holds its address now: an offer or binding whose time is not up, or a declined address on probation.</summary>
    public bool IsActiveAt(DateTimeOffset now) => State is LeaseState.Offered or LeaseState.Bound or LeaseState.Declined && Expires > now;

    /// <summary>The address may be claimed by anyone.</summary>
    public bool IsFreeAt(DateTimeOffset now) => !IsActiveAt(now);

    /// <summary>Whether the row needs to survive a crash before a reply may go out (offers do not).</summary>
    public bool NeedsDurability => State != LeaseState.Offered;
}
