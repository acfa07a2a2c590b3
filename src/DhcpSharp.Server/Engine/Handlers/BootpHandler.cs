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

        var offer = await services.Leases.OfferAsync(context.Client, link, context.Classes, reserved, null, null, cancellationToken).ConfigureAwait(false);
        if (offer.Lease is not { } offered)
        {
            if (offer.Outcome == LeaseOutcome.Exhausted)
            {
                services.Metrics.PoolExhausted();
            }

            return null;
        }

        var decision = await services.AwaitStoreAsync(services.Leases.CommitAsync(context.Client, link, context.Classes, reserved, offered.Address, Timeout.InfiniteTimeSpan, null, cancellationToken), context).ConfigureAwait(false);
        if (decision.Lease is not { } lease)
        {
            return null;
        }

        context.Lease = lease;
        services.Events.RaiseBound(lease, context);
        return context.Scope!.Replies.Build(context, DhcpMessageType.None, lease.Address, leaseTime: null);
    }
}
