using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Tftp;
using DhcpSharp.Hosting.Composition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Services;

/// <summary>The TFTP boot server on the served interfaces (bound at start).</summary>
internal sealed class TftpService(IBootFileProvider files, InterfaceSelection interfaces, DhcpSharpSettingsHolder settings, TimeProvider time, ILogger<TftpService> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private TftpServer? _server;
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var boot = settings.Initial.Boot!;
        var options = new TftpServerOptions { Port = boot.TftpPort, SinglePort = boot.TftpSinglePort, MaximumBlockSize = boot.TftpMaximumBlockSize, MaximumWindowSize = boot.TftpMaximumWindowSize };
        _server = new TftpServer(files, interfaces.Interfaces, options, logger, time);
        _running = _server.RunAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
