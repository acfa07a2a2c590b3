using System.Net;
using System.Runtime.InteropServices;
using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Http;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Boot.Proxy;
using DhcpSharp.Boot.Tftp;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Cli.Hosting;

/// <summary>What <c>dhcpsharp serve</c> runs: settings plus where they came from (for reload).</summary>
internal sealed record ServeSettings(DhcpSharpSettings Settings, string? ConfigPath, bool Trace);

/// <summary>
/// Everything <c>dhcpsharp serve</c> runs in one Generic Host: the DHCP engine and its lease
/// store (when subnets are configured), proxyDHCP on 67 and 4011, TFTP and HTTP (when a boot
/// section is present). All of it is ready before start-up completes, so systemd's READY=1
/// means "listening". SIGHUP reloads the DHCP configuration; SIGTERM stops receiving, lets
/// in-flight requests finish and flushes the lease store.
/// </summary>
internal sealed partial class DhcpSharpHostedService(ServeSettings serve, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan ReclaimInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggers.CreateLogger("DhcpSharp");
    private readonly CancellationTokenSource _stopping = new();
    private readonly DhcpServerMetrics _metrics = new();
    private readonly List<Task> _running = [];
    private readonly List<IAsyncDisposable> _servers = [];
    private SqliteLeaseStore? _store;
    private DhcpServerEngine? _engine;
    private BootPolicy? _policy;
    private BootHttpServer? _http;
    private ITimer? _reclaimTimer;
    private PosixSignalRegistration? _reload;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = serve.Settings;
        var boot = settings.Boot;
        var bindings = ResolveInterfaces(settings);
        if (boot is not null)
        {
            string? httpBase = boot.Http ? $"http://{{server}}:{boot.HttpPort}" : null;
            _policy = new BootPolicy(boot.EffectiveRules(httpBase));
        }

        await WarmUp.RunAsync(_policy, cancellationToken).ConfigureAwait(false);
        if (settings.Dhcp.Subnets.Count > 0)
        {
            _store = await SqliteLeaseStore.OpenAsync(settings.LeaseFile, cancellationToken, settings.LeaseCommitDelay).ConfigureAwait(false);
            int purged = await _store.PurgeEndedBeforeAsync(time.GetUtcNow() - TimeSpan.FromDays(7), cancellationToken).ConfigureAwait(false);
            _engine = await CreateEngineAsync(settings.Dhcp, cancellationToken).ConfigureAwait(false);
            _reclaimTimer = time.CreateTimer(_ => _engine?.ReclaimExpired(), null, ReclaimInterval, ReclaimInterval);
            DhcpStarted(_logger, settings.LeaseFile, purged);
        }

        ProxyDhcpServer? proxy = null;
        if (boot is { Proxy: true } && _policy is not null)
        {
            proxy = new ProxyDhcpServer(_policy, _metrics, _logger) { TraceTransactions = serve.Trace };
            var proxyBindings = boot.ProxyInterfaces.Count > 0 ? bindings.Where(b => boot.ProxyInterfaces.Contains(b.Name)).ToList() : bindings;
            Start(new DhcpUdpServer(() => proxy, proxyBindings, new DhcpUdpServerOptions { Port = ProxyDhcpServer.BootServerPort }, _logger), s => s.RunAsync(_stopping.Token));
        }

        if (_engine is not null || proxy is not null)
        {
            var proxyInterfaces = boot?.ProxyInterfaces.Count > 0 ? boot.ProxyInterfaces.ToHashSet(StringComparer.Ordinal) : null;
            var dispatcher = new BootDispatcher(() => _engine, proxy, proxyInterfaces, _metrics);
            Start(new DhcpUdpServer(() => dispatcher, bindings, new DhcpUdpServerOptions { Port = settings.Port }, _logger), s => s.RunAsync(_stopping.Token));
        }

        if (boot is not null)
        {
            var files = BootFiles.Create(boot.Root);
            if (boot.Tftp)
            {
                var options = new TftpServerOptions { Port = boot.TftpPort, SinglePort = boot.TftpSinglePort, MaximumBlockSize = boot.TftpMaximumBlockSize, MaximumWindowSize = boot.TftpMaximumWindowSize };
                Start(new TftpServer(files, bindings, options, _logger), s => s.RunAsync(_stopping.Token));
            }

            if (boot.Http)
            {
                _http = new BootHttpServer(files, IPAddress.Any, boot.HttpPort);
                await _http.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            BootStarted(_logger, boot.Root, boot.Proxy ? "proxyDHCP on 67 and 4011" : "boot information in DHCP replies", boot.Tftp ? boot.TftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : "off", boot.Http ? boot.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : "off");
        }

        _reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _ = ReloadAsync();
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _reload?.Dispose();
        _reclaimTimer?.Dispose();
        // Stop receiving, let the lease store commit what it holds (the writer sends those ACKs
        // from the still-open sockets), then close the sockets.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_http is not null)
        {
            await _http.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_store is not null)
        {
            await _store.FlushAsync(cancellationToken).ConfigureAwait(false);
            Stopped(_logger, _store.Commits, _store.Writes);
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
        _stopping.Dispose();
    }

    private void Start<T>(T server, Func<T, Task> run)
        where T : IAsyncDisposable
    {
        _servers.Add(server);
        _running.Add(run(server));
    }

    private static List<InterfaceBinding> ResolveInterfaces(DhcpSharpSettings settings)
    {
        if (settings.Interfaces.Count > 0)
        {
            return [.. InterfaceBinding.Resolve(settings.Interfaces)];
        }

        var all = InterfaceBinding.Snapshot();
        if (settings.Boot is { Proxy: true })
        {
            // A proxy serves any segment; by default every interface with an IPv4 address.
            return all.Count > 0 ? [.. all] : throw new ConfigurationException("interfaces", "no interface with an IPv4 address to serve");
        }

        // Default: every interface that has an address in a configured subnet (or is named by one).
        var served = all.Where(i => settings.Dhcp.Subnets.Any(s => s.Network.Contains(i.Address) || s.Interface == i.Name)).ToList();
        return served.Count > 0
            ? served
            : throw new ConfigurationException("interfaces", "no interface has an address in a configured subnet; name the interfaces to serve");
    }

    private async Task<DhcpServerEngine> CreateEngineAsync(DhcpServerOptions options, CancellationToken cancellationToken)
    {
        var callbacks = _policy is null ? null : BootReplyDecorator.Callbacks(_policy);
        var engine = new DhcpServerEngine(options, _store!, time, _logger, callbacks, _metrics) { TraceTransactions = serve.Trace };
        await engine.StartAsync(cancellationToken).ConfigureAwait(false);
        return engine;
    }

    private async Task ReloadAsync()
    {
        if (serve.ConfigPath is null || _store is null)
        {
            ReloadSkipped(_logger);
            return;
        }

        try
        {
            var settings = DhcpSharpConfiguration.LoadFile(serve.ConfigPath);
            await _store.FlushAsync(_stopping.Token).ConfigureAwait(false);
            _engine = await CreateEngineAsync(settings.Dhcp, _stopping.Token).ConfigureAwait(false);
            Reloaded(_logger, serve.ConfigPath);
        }
        catch (ConfigurationException e)
        {
            ReloadFailed(_logger, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(200, LogLevel.Information, "DHCP server started; leases in {LeaseFile} ({Purged} long-ended leases purged)")]
    private static partial void DhcpStarted(ILogger logger, string leaseFile, int purged);

    [LoggerMessage(201, LogLevel.Information, "DHCP server stopped; lease store flushed ({Commits} commits, {Writes} lease writes this run)")]
    private static partial void Stopped(ILogger logger, long commits, long writes);

    [LoggerMessage(202, LogLevel.Information, "Configuration reloaded from {Path}")]
    private static partial void Reloaded(ILogger logger, string path);

    [LoggerMessage(203, LogLevel.Error, "Reload refused, keeping the running configuration: {Error}")]
    private static partial void ReloadFailed(ILogger logger, string error);

    [LoggerMessage(204, LogLevel.Warning, "SIGHUP ignored: no configuration file or no DHCP scope to reload")]
    private static partial void ReloadSkipped(ILogger logger);

    [LoggerMessage(205, LogLevel.Information, "Network boot: root {Root}, {Mode}, TFTP port {TftpPort}, HTTP port {HttpPort}")]
    private static partial void BootStarted(ILogger logger, string root, string mode, string tftpPort, string httpPort);
}
