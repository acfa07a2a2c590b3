using System.Runtime.InteropServices;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Cli.Hosting;

/// <summary>What <c>dhcpsharp serve</c> runs: settings plus where they came from (for reload).</summary>
internal sealed record ServeSettings(DhcpServerSettings Settings, string? ConfigPath, bool Trace);

/// <summary>
/// Runs the DHCP server in the Generic Host: lease store, engine and sockets are ready before
/// start-up completes (so systemd's READY=1 means "listening"); SIGHUP reloads the configuration
/// file; SIGTERM stops receiving, lets in-flight requests finish and flushes the store.
/// </summary>
internal sealed partial class DhcpServerHostedService(ServeSettings serve, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan ReclaimInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggers.CreateLogger("DhcpSharp.Server");
    private readonly CancellationTokenSource _stopping = new();
    private readonly DhcpServerMetrics _metrics = new();
    private SqliteLeaseStore? _store;
    private DhcpServerEngine? _engine;
    private DhcpUdpServer? _server;
    private Task? _running;
    private ITimer? _reclaimTimer;
    private PosixSignalRegistration? _reload;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = serve.Settings;
        var bindings = ResolveInterfaces(settings);
        _store = await SqliteLeaseStore.OpenAsync(settings.LeaseFile, cancellationToken).ConfigureAwait(false);
        int purged = await _store.PurgeEndedBeforeAsync(time.GetUtcNow() - TimeSpan.FromDays(7), cancellationToken).ConfigureAwait(false);
        _engine = await CreateEngineAsync(settings.Server, cancellationToken).ConfigureAwait(false);
        _server = new DhcpUdpServer(() => _engine!, bindings, new DhcpUdpServerOptions { Port = settings.Port }, _logger);
        _running = _server.RunAsync(_stopping.Token);
        _reclaimTimer = time.CreateTimer(_ => _engine?.ReclaimExpired(), null, ReclaimInterval, ReclaimInterval);
        _reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _ = ReloadAsync();
        });
        Started(_logger, settings.LeaseFile, purged);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _reload?.Dispose();
        _reclaimTimer?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_running is not null)
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_store is not null)
        {
            await _store.FlushAsync(cancellationToken).ConfigureAwait(false);
            Stopped(_logger, _store.Commits, _store.Writes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
        _stopping.Dispose();
    }

    private static List<InterfaceBinding> ResolveInterfaces(DhcpServerSettings settings)
    {
        if (settings.Interfaces.Count > 0)
        {
            return [.. InterfaceBinding.Resolve(settings.Interfaces)];
        }

        // Default: every interface that has an address in a configured subnet (or is named by one).
        var served = InterfaceBinding.Snapshot()
            .Where(i => settings.Server.Subnets.Any(s => s.Network.Contains(i.Address) || s.Interface == i.Name))
            .ToList();
        return served.Count > 0
            ? served
            : throw new ConfigurationException("interfaces", "no interface has an address in a configured subnet; name the interfaces to serve");
    }

    private async Task<DhcpServerEngine> CreateEngineAsync(DhcpServerOptions options, CancellationToken cancellationToken)
    {
        var engine = new DhcpServerEngine(options, _store!, time, _logger, metrics: _metrics) { TraceTransactions = serve.Trace };
        await engine.StartAsync(cancellationToken).ConfigureAwait(false);
        return engine;
    }

    private async Task ReloadAsync()
    {
        if (serve.ConfigPath is null)
        {
            ReloadSkipped(_logger);
            return;
        }

        try
        {
            var settings = DhcpServerConfigurationLoader.LoadFile(serve.ConfigPath);
            await _store!.FlushAsync(_stopping.Token).ConfigureAwait(false);
            _engine = await CreateEngineAsync(settings.Server, _stopping.Token).ConfigureAwait(false);
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
    private static partial void Started(ILogger logger, string leaseFile, int purged);

    [LoggerMessage(201, LogLevel.Information, "DHCP server stopped; lease store flushed ({Commits} commits, {Writes} lease writes this run)")]
    private static partial void Stopped(ILogger logger, long commits, long writes);

    [LoggerMessage(202, LogLevel.Information, "Configuration reloaded from {Path}")]
    private static partial void Reloaded(ILogger logger, string path);

    [LoggerMessage(203, LogLevel.Error, "Reload refused, keeping the running configuration: {Error}")]
    private static partial void ReloadFailed(ILogger logger, string error);

    [LoggerMessage(204, LogLevel.Warning, "SIGHUP ignored: the server was started from flags, not a configuration file")]
    private static partial void ReloadSkipped(ILogger logger);
}
