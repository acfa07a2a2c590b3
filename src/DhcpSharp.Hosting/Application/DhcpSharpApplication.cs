using DhcpSharp.Hosting.Composition;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DhcpSharp.Hosting.Application;

/// <summary>
/// A running DhcpSharp: the same Generic Host and composition root as the daemon, with
/// node-dhcp's events (message, bound …, error, listening, close) and listen/close as
/// <see cref="StartAsync"/>/<see cref="StopAsync"/>. Build it with <see cref="CreateBuilder"/>.
/// </summary>
public sealed class DhcpSharpApplication : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;

    internal DhcpSharpApplication(IHost host, MessageEventStage messages)
    {
        _host = host;
        messages.Raise = context => Message?.Invoke(this, new DhcpMessageEventArgs(context));
    }

    public static DhcpSharpApplicationBuilder CreateBuilder(string[]? args = null) => new(args);

    public IServiceProvider Services => _host.Services;

    /// <summary>Offered, Bound, Renewed, Released, Declined, Expired (DHCP mode).</summary>
    public LeaseEvents Leases => Services.GetRequiredService<LeaseEvents>();

    /// <summary>The settings in force (after any reload).</summary>
    public DhcpSharpSettings Settings => Services.GetRequiredService<DhcpSharpSettingsHolder>().Current;

    /// <summary>Every request, as it arrives.</summary>
    public event EventHandler<DhcpMessageEventArgs>? Message;

    /// <summary>A request failed in a stage or callback (it was dropped; the server goes on).</summary>
    public event EventHandler<DhcpErrorEventArgs>? Error;

    /// <summary>Every socket is bound and serving.</summary>
    public event EventHandler? Listening;

    /// <summary>Stopped: leases flushed, sockets closed.</summary>
    public event EventHandler? Closed;

    /// <summary>node-dhcp's listen(): binds the sockets and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var pipelines = Services.GetRequiredService<DhcpPipelines>();
        foreach (var pipeline in new[] { pipelines.DhcpPort, pipelines.BootServerPort })
        {
            if (pipeline is not null)
            {
                pipeline.RequestFailed += OnRequestFailed;
            }
        }

        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        _started = true;
        Listening?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>node-dhcp's close(): stops receiving, flushes the leases, closes the sockets.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        await _host.StopAsync(cancellationToken).ConfigureAwait(false);
        Closed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Starts, serves until <paramref name="cancellationToken"/> fires or the process gets SIGINT/SIGTERM, then stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        Closed?.Invoke(this, EventArgs.Empty);
        _started = false;
    }

    /// <summary>Applies new settings while running (what cannot change live is logged and waits for a restart).</summary>
    public bool Reload(DhcpSharpSettings settings) => Services.GetRequiredService<ConfigurationReloader>().Apply(settings);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }
    }

    private void OnRequestFailed(object? sender, RequestFailedEventArgs e) => Error?.Invoke(this, new DhcpErrorEventArgs(e.Exception, e.Context));
}
