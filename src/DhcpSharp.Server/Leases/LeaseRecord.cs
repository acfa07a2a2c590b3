using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>One address binding as the store keeps it.</summary>
public sealed record LeaseRecord(
    IPv4Address Address,
    string ClientKey,
    byte HardwareType,
    byte[] HardwareAddress,
    byte[]? ClientIdentifier,
    string? HostName,
    LeaseState State,
    DateTimeOffset Start,
    DateTimeOffset Expires);
