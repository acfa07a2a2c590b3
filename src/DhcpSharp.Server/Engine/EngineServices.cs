using System.Runtime.CompilerServices;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Server.Engine;

/// <summary>What the message handlers share that does not change with a reload.</summary>
internal sealed class EngineServices(
    LeaseManager leases,
    LeaseEvents events,
    DhcpServerCallbacks callbacks,
    DhcpServerMetrics metrics,
    IAddressProber? prober,
    TimeProvider time,
    ILogger logger)
{
    private readonly RequestLogLimiter _logLimiter = new(time);

    public LeaseManager Leases { get; } = leases;

    public LeaseEvents Events { get; } = events;

    public DhcpServerCallbacks Callbacks { get; } = callbacks;

    public DhcpServerMetrics Metrics { get; } = metrics;

    public IAddressProber? Prober { get; } = prober;

    public ILogger Logger { get; } = logger;

    /// <summary>Whether a per-request Information/Warning line may be written now (see <see cref="RequestLogLimiter"/>).</summary>
    public bool MayLogRequest()
    {
        if (!_logLimiter.TryAcquire(out long suppressed))
        {
            return false;
        }

        if (suppressed > 0)
        {
            ServerLog.LinesSuppressed(Logger, suppressed);
        }

        return true;
    }

    /// <summary>
    /// Waits for a lease operation. A store may finish a durable write on its own writer thread
    /// (the SQLite store does, so a batch's ACKs leave right after its fsync); when events or a
    /// later pipeline stage run user code, the request moves to the thread pool first, so that
    /// code can never stall the writer.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<T> AwaitStoreAsync<T>(ValueTask<T> pending, DhcpRequestContext context)
    {
        if (pending.IsCompleted)
        {
            return await pending.ConfigureAwait(false);
        }

        var result = await pending.ConfigureAwait(false);
        if (Events.HasSubscribers || context.UserCodeFollows)
        {
            await Task.Yield();
        }

        return result;
    }
}
