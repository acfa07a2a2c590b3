using System.Runtime.CompilerServices;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Engine;

/// <summary>DISCOVER → OFFER, the address held for the offer time (RFC 2131 §4.3.1).</summary>
internal sealed class DiscoverHandler(EngineServices services) : IMessageHandler
{
    private const int ProbeAttempts = 3;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var scope = context.Scope!;
        var link = context.Subnet!.Link;
        IPv4Address? preferred = services.Callbacks.SelectAddress is { } select
            ? await select(context, cancellationToken).ConfigureAwait(false)
            : null;
        var requested = preferred ?? context.RequestedAddress;
        for (int attempt = 0; attempt < ProbeAttempts; attempt++)
        {
            var decision = await services.AwaitStoreAsync(services.Leases.OfferAsync(context.Client, link, context.Classes, context.Reservation?.Address, requested, context.HostName, cancellationToken), context).ConfigureAwait(false);
            if (decision.Outcome == LeaseOutcome.Exhausted)
            {
                services.Metrics.PoolExhausted();
                if (services.MayLogRequest())
                {
                    ServerLog.PoolExhausted(services.Logger, context.Client.ToString(), link.Name);
                }

                return null;
            }

            if (decision.Lease is not { } lease)
            {
                ServerLog.Dropped(services.Logger, "DISCOVER", context.Client.ToString(), decision.Reason ?? "refused");
                return null;
            }

            if (scope.Options.PingCheck && services.Prober is { } prober && lease.State == LeaseState.Offered &&
                await prober.IsInUseAsync(lease.Address, scope.Options.PingTimeout, cancellationToken).ConfigureAwait(false))
            {
                ServerLog.AddressInUse(services.Logger, lease.Address, context.Client.ToString());
                await services.AwaitStoreAsync(services.Leases.QuarantineAsync(lease, "ping", cancellationToken), context).ConfigureAwait(false);
                requested = null;
                continue;
            }

            context.Lease = lease;
            services.Metrics.LeaseChange("offered");
            services.Events.RaiseOffered(lease, context);
            return scope.Replies.Build(context, DhcpMessageType.Offer, lease.Address, scope.Replies.LeaseTimeFor(context));
        }

        return null;
    }
}
