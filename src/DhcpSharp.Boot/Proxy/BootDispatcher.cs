using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;

namespace DhcpSharp.Boot.Proxy;

/// <summary>
/// Port 67 in one process serving both roles: a request in a subnet the DHCP engine serves goes
/// to the engine (full mode, boot information added to its replies); any other request goes to
/// the proxy, which answers only PXE/HTTP-boot clients and only on its interfaces.
/// </summary>
public sealed class BootDispatcher(Func<DhcpServerEngine?> engine, ProxyDhcpServer? proxy, IReadOnlySet<string>? proxyInterfaces, DhcpServerMetrics metrics) : IDhcpRequestHandler
{
    public DhcpServerMetrics Metrics { get; } = metrics;

    public ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (engine() is { } dhcp && dhcp.Serves(context))
        {
            return dhcp.HandleAsync(context, cancellationToken);
        }

        if (proxy is not null && (proxyInterfaces is null || proxyInterfaces.Count == 0 || proxyInterfaces.Contains(context.Ingress.Name)))
        {
            return proxy.HandleAsync(context, cancellationToken);
        }

        Metrics.Drop("not served on this interface");
        return ValueTask.FromResult<DhcpResponse?>(null);
    }
}
