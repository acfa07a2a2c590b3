using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>The life-cycle state of an address binding.</summary>
public enum LeaseState : byte
{
    /// <summary>Held for a client between OFFER and REQUEST; never persisted.</summary>
    Offered = 1,
    Bound = 2,
    Released = 3,
    Expired = 4,
    /// <summary>The client reported the address in use (DECLINE): out of use until probation ends.</summary>
    Declined = 5,
}

/// <summary>One address binding as the store keeps it.</summary>
public sealed record LeaseRecord(
    IPv4Address Address,
    string ClientKey,
    byte HardwareType,
    byte[] HardwareAddress,
    byte[]? ClientIdentifier,
    string? HostName,
    LeaseState State,
    DateTimeOffset Start,
    DateTimeOffset Expires);

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

    /// <summary>Waits until everything accepted so far is durable (shutdown).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}

/// <summary>A store that keeps nothing across restarts: tests, and the library when durability is not wanted.</summary>
public sealed class MemoryLeaseStore : ILeaseStore
{
    private readonly Dictionary<IPv4Address, LeaseRecord> _leases = [];
    private readonly Lock _lock = new();

    public int SaveCount { get; private set; }

    public Task<IReadOnlyList<LeaseRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<LeaseRecord>>([.. _leases.Values]);
        }
    }

    public ValueTask SaveAsync(LeaseRecord lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _leases[lease.Address] = lease;
            SaveCount++;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(IPv4Address address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _leases.Remove(address);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
