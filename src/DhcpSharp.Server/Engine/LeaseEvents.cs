using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Lease life-cycle events (node-dhcp only had "bound", with the whole lease map). One instance
/// lives as long as the server, so subscribers stay subscribed across configuration reloads.
/// </summary>
public sealed class LeaseEvents
{
    public event EventHandler<LeaseEventArgs>? Offered;

    public event EventHandler<LeaseEventArgs>? Bound;

    public event EventHandler<LeaseEventArgs>? Renewed;

    public event EventHandler<LeaseEventArgs>? Released;

    public event EventHandler<LeaseEventArgs>? Declined;

    public event EventHandler<LeaseEventArgs>? Expired;

    /// <summary>Whether anyone listens (then the engine keeps the handlers off the store's writer thread).</summary>
    internal bool HasSubscribers => Offered is not null || Bound is not null || Renewed is not null || Released is not null || Declined is not null || Expired is not null;

    internal void RaiseOffered(LeaseRecord lease, DhcpRequestContext context) => Offered?.Invoke(this, new LeaseEventArgs(lease, context));

    internal void RaiseBound(LeaseRecord lease, DhcpRequestContext context) => Bound?.Invoke(this, new LeaseEventArgs(lease, context));

    internal void RaiseRenewed(LeaseRecord lease, DhcpRequestContext context) => Renewed?.Invoke(this, new LeaseEventArgs(lease, context));

    internal void RaiseReleased(LeaseRecord lease, DhcpRequestContext context) => Released?.Invoke(this, new LeaseEventArgs(lease, context));

    internal void RaiseDeclined(LeaseRecord lease, DhcpRequestContext context) => Declined?.Invoke(this, new LeaseEventArgs(lease, context));

    internal void RaiseExpired(LeaseRecord lease) => Expired?.Invoke(this, new LeaseEventArgs(lease, null));
}
