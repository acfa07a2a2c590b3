using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Engine;

/// <summary>RELEASE: the client gives its address back (RFC 2131 §4.3.4).</summary>
internal sealed class ReleaseHandler(EngineServices services) : IMessageHandler
{
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var decision = services.Leases.Release(context.Client, context.Request.ClientAddress);
        if (decision.Lease is { } lease)
        {
            await services.SaveAsync(lease, context, cancellationToken).ConfigureAwait(false);
            context.Lease = lease;
            services.Metrics.LeaseChange("released");
            services.Events.RaiseReleased(lease, context);
        }

        return null;
    }
}
