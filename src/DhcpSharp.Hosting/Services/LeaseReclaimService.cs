using DhcpSharp.Server.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Services;

/// <summary>Ends expired leases every few seconds (and raises their Expired events).</summary>
internal sealed class LeaseReclaimService(DhcpServerEngine engine, TimeProvider time, ILogger<LeaseReclaimService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Reclaim(), null, Interval, Interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private void Reclaim()
    {
        try
        {
            engine.ReclaimExpired();
        }
        catch (Exception e)
        {
            // A timer callback's exception would be lost (or end the process): log it and try again next tick.
            HostingLog.ReclaimFailed(logger, e);
        }
    }
}
