using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Engine;

/// <summary>A lease changed; raised after the change is durable.</summary>
public sealed class LeaseEventArgs(LeaseRecord lease, DhcpRequestContext? request) : EventArgs
{
    public LeaseRecord Lease { get; } = lease;

    /// <summary>The request that caused it (null for expiry).</summary>
    public DhcpRequestContext? Request { get; } = request;
}
