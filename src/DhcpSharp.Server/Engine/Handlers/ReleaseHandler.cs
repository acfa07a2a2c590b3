using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Engine;

/// <summary>RELEASE: the client gives its address back (RFC 2131 §4.3.4).</summary>
internal sealed class ReleaseHandler(EngineServices services) : IMessageHandler
{
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var decision = await services.AwaitStoreAsync(services.Leases.ReleaseAsync(context.Client, context.Request.ClientAddress, cancellationToken), context).ConfigureAwait(false);
        if (decision.Lease is { } lease)
        {
            context.Lease = lease;
            services.Metrics.LeaseChange("released");
            services.Events.RaiseReleased(lease, context);
        }

        return null;
    }
}
