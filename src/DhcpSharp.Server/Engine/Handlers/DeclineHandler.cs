using DhcpSharp.Protocol;
using DhcpSharp.Server.Diagnostics;

namespace DhcpSharp.Server.Engine;

/// <summary>DECLINE: the address is in use by someone else; it goes on probation (RFC 2131 §4.3.3).</summary>
internal sealed class DeclineHandler(EngineServices services) : IMessageHandler
{
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        if (context.ServerIdentifierInRequest is { } chosen && chosen != context.ServerIdentifier || context.RequestedAddress is not { } address)
        {
            return null;
        }

        var decision = await services.AwaitStoreAsync(services.Leases.DeclineAsync(context.Client, address, cancellationToken), context).ConfigureAwait(false);
        if (decision.Lease is { } lease)
        {
            context.Lease = lease;
            services.Metrics.LeaseChange("declined");
            services.Events.RaiseDeclined(lease, context);
            if (services.MayLogRequest())
            {
                ServerLog.Handled(services.Logger, "DECLINE", context.Client.ToString(), context.Ingress.Name, $"{address} on probation");
            }
        }

        return null;
    }
}
