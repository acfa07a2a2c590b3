using DhcpSharp.Boot.Proxy;
using DhcpSharp.Hosting.Composition;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Services;

/// <summary>
/// The UDP listeners: port 67 for the DHCP pipeline and, with proxyDHCP, port 4011 on the proxy's
/// interfaces. Sockets are bound in StartAsync, so "started" (systemd READY=1) means listening.
/// Stopping shuts the receive side only; the sockets close when the host is disposed, after the
/// lease store has flushed (its writer sends the last ACKs).
/// </summary>
internal sealed class DhcpListenerService(
    DhcpPipelines pipelines,
    InterfaceSelection interfaces,
    DhcpSharpSettingsHolder settings,
    DhcpServerMetrics metrics,
    TimeProvider time,
    ILogger<DhcpListenerService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<DhcpUdpServer> _servers = [];
    private readonly List<Task> _running = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = settings.Initial;
        if (pipelines.DhcpPort is { } dhcp)
        {
            Start(dhcp, interfaces.Interfaces, current.Port);
        }

        if (pipelines.BootServerPort is { } bootServer && current.Boot is { } boot)
        {
            var proxyInterfaces = boot.ProxyInterfaces.Count > 0 ? interfaces.Interfaces.Where(b => boot.ProxyInterfaces.Contains(b.Name)).ToList() : interfaces.Interfaces;
            Start(bootServer, proxyInterfaces, ProxyDhcpStage.BootServerPort);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Start(IDhcpRequestHandler handler, IReadOnlyList<InterfaceBinding> bindings, int port)
    {
        var server = new DhcpUdpServer(handler, bindings, new DhcpUdpServerOptions { Port = port }, logger, metrics, time);
        _servers.Add(server);
        _running.Add(server.RunAsync(_stopping.Token));
    }
}
