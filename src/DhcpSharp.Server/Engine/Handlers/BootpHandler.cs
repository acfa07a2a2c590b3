using DhcpSharp.Protocol;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Engine;

/// <summary>BOOTP (no option 53): reservations always, dynamic addresses when enabled; leases never expire (RFC 1534).</summary>
internal sealed class BootpHandler(EngineServices services) : IMessageHandler
{
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var link = context.Subnet!.Link;
        var reserved = context.Reservation?.Address;
        if (reserved is null && !context.Scope!.Options.DynamicBootp)
        {
            return null;
        }

        var offer = services.Leases.Offer(context.Client, link, context.Classes, reserved, null, null);
        if (offer.Lease is not { } offered)
        {
            if (offer.Outcome == LeaseOutcome.Exhausted)
            {
                services.Metrics.PoolExhausted();
            }

            return null;
        }

        var decision = services.Leases.Commit(context.Client, link, context.Classes, reserved, offered.Address, Timeout.InfiniteTimeSpan, null);
        if (decision.Lease is not { } lease)
        {
            return null;
        }

        await services.SaveAsync(lease, context, cancellationToken).ConfigureAwait(false);
        context.Lease = lease;
        services.Events.RaiseBound(lease, context);
        return context.Scope!.Replies.Build(context, DhcpMessageType.None, lease.Address, leaseTime: null);
    }
}
