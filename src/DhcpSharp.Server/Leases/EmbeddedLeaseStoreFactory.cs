using Microsoft.Extensions.Logging;

namespace DhcpSharp.Server.Leases;

/// <summary>The built-in stores: the embedded SQLite file for any path, ":memory:" for a store that keeps nothing.</summary>
public sealed class EmbeddedLeaseStoreFactory : ILeaseStoreFactory
{
    public const string InMemory = ":memory:";

    public bool CanOpen(string location) => !string.IsNullOrWhiteSpace(location) && !location.Contains("://", StringComparison.Ordinal);

    public ValueTask<ILeaseStore> OpenAsync(LeaseStoreOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<ILeaseStore>(options.Location == InMemory
            ? new MemoryLeaseStore()
            : SqliteLeaseStore.Open(options.Location, options.CommitDelay));
    }
}
