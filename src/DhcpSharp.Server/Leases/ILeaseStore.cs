using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>Where leases live durably. <see cref="SaveAsync"/> completes only once the lease would survive a crash.</summary>
public interface ILeaseStore : IAsyncDisposable
{
    /// <summary>Every lease kept, for start-up.</summary>
    Task<IReadOnlyList<LeaseRecord>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes (inserts or replaces by address) and completes when durable. Calls may be batched,
    /// and the completion may run continuations on the store's own thread: keep them short.
    /// </summary>
    ValueTask SaveAsync(LeaseRecord lease, CancellationToken cancellationToken);

    /// <summary>Forgets the lease of an address (reclaimed, no longer worth keeping).</summary>
    ValueTask RemoveAsync(IPv4Address address, CancellationToken cancellationToken);

    /// <summary>Deletes leases that ended before <paramref name="before"/> (housekeeping at start); returns how many.</summary>
    Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Commits and writes so far (Writes / Commits is the mean batch size).</summary>
    LeaseStoreStatistics Statistics { get; }

    /// <summary>Waits until everything accepted so far is durable (shutdown).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
