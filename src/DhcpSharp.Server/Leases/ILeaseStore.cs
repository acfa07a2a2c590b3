using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// Where the truth about leases lives. Every change is a conditional write
/// (<see cref="WriteAsync"/>) that the store evaluates atomically against its own row, so a
/// server's memory can only ever hold hints, and several servers can share one store.
/// </summary>
/// <remarks>
/// Durability: a write of a binding, release, decline or expiry completes only once it would
/// survive a crash (an ACK waits for it); an offer is a short claim and need not be durable.
/// Completions may run on the store's own thread: keep continuations short.
/// </remarks>
public interface ILeaseStore : IAsyncDisposable
{
    /// <summary>Calls <paramref name="visit"/> with address, state and expiry of every row (start-up: which addresses are taken, until when).</summary>
    ValueTask VisitAsync(Action<IPv4Address, LeaseState, DateTimeOffset> visit, CancellationToken cancellationToken);

    /// <summary>The row of an address. A store shared between servers may answer from a cache: treat it as a hint.</summary>
    ValueTask<LeaseRecord?> FindAsync(IPv4Address address, CancellationToken cancellationToken);

    /// <summary>The client's current lease (its active one if any, else its last). May come from a cache, like <see cref="FindAsync"/>.</summary>
    ValueTask<LeaseRecord?> FindByClientAsync(string clientKey, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="lease"/> (keyed by its address) if <paramref name="condition"/> holds
    /// for the stored row at <paramref name="now"/>; the store assigns the next version. On a
    /// conflict nothing is written and the result carries the row that is there.
    /// </summary>
    ValueTask<LeaseWriteResult> WriteAsync(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every row (for the control API and tests; may be large).</summary>
    ValueTask<IReadOnlyList<LeaseRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes rows that ended before <paramref name="before"/> and are not bound (housekeeping at start); returns how many.</summary>
    Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Commits and writes so far (Writes / Commits is the mean batch size).</summary>
    LeaseStoreStatistics Statistics { get; }

    /// <summary>Waits until everything accepted so far is durable (shutdown).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
