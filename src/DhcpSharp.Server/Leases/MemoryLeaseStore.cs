using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>A store that keeps nothing across restarts: tests, and the library when durability is not wanted.</summary>
public sealed class MemoryLeaseStore : ILeaseStore
{
    private readonly Dictionary<IPv4Address, LeaseRecord> _leases = [];
    private readonly Lock _lock = new();

    public int SaveCount { get; private set; }

    public LeaseStoreStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new LeaseStoreStatistics(SaveCount, SaveCount);
            }
        }
    }

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

    public Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var ended = _leases.Values.Where(l => l.Expires < before && l.State != LeaseState.Bound).Select(l => l.Address).ToList();
            ended.ForEach(a => _leases.Remove(a));
            return Task.FromResult(ended.Count);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
