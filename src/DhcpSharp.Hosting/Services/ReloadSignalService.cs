using System.Runtime.InteropServices;
using DhcpSharp.Hosting.Composition;
using Microsoft.Extensions.Hosting;

namespace DhcpSharp.Hosting.Services;

/// <summary>SIGHUP re-reads the configuration (systemd's ExecReload sends it).</summary>
internal sealed class ReloadSignalService(ConfigurationReloader reloader, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            // The reloader logs every outcome itself; nothing it throws is left unobserved.
            _ = reloader.ReloadAsync(lifetime.ApplicationStopping);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        _registration = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _registration?.Dispose();
}
