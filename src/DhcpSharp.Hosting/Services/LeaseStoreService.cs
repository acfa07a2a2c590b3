using DhcpSharp.Hosting.Composition;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Services;

/// <summary>
/// Brings the leases up before anything listens (purge long-ended rows, load the rest into the
/// engine) and makes them durable last at shutdown: it stops after the listeners, so ACKs still
/// waiting for the final commit leave from sockets that are still open.
/// </summary>
internal sealed class LeaseStoreService(DhcpServerEngine engine, OpeningLeaseStore store, DhcpSharpSettingsHolder settings, TimeProvider time, ILogger<LeaseStoreService> logger) : IHostedService
{
    private static readonly TimeSpan PurgeAfter = TimeSpan.FromDays(7);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        int purged = await store.PurgeEndedBeforeAsync(time.GetUtcNow() - PurgeAfter, cancellationToken).ConfigureAwait(false);
        await engine.StartAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.DhcpStarted(logger, LeaseStoreOptions.Redact(settings.Initial.LeaseFile), purged);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await store.FlushAsync(cancellationToken).ConfigureAwait(false);
        var statistics = store.Statistics;
        HostingLog.Stopped(logger, statistics.Commits, statistics.Writes);
    }
}
