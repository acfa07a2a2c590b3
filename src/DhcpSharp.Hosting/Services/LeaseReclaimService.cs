using DhcpSharp.Server.Engine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Services;

/// <summary>Ends expired leases every few seconds (and raises their Expired events).</summary>
internal sealed class LeaseReclaimService(DhcpServerEngine engine, TimeProvider time, ILogger<LeaseReclaimService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private ITimer? _timer;
    private int _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => _ = ReclaimAsync(), null, Interval, Interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    private async Task ReclaimAsync()
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            return; // the last round is still going (a slow shared store): skip this tick
        }

        try
        {
            await engine.ReclaimExpiredAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A timer callback's exception would be lost (or end the process): log it and try again next tick.
            HostingLog.ReclaimFailed(logger, e);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
