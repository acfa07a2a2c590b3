using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>A store that keeps nothing across restarts: tests, and the library when durability is not wanted.</summary>
public sealed class MemoryLeaseStore : ILeaseStore
{
    private readonly LeaseTable _table = new();
    private long _writes;

    /// <summary>Writes that succeeded.</summary>
    public int SaveCount => (int)Interlocked.Read(ref _writes);

    public LeaseStoreStatistics Statistics => new(SaveCount, SaveCount);

    public ValueTask VisitAsync(Action<IPv4Address, LeaseState, DateTimeOffset> visit, CancellationToken cancellationToken)
    {
        _table.ForEach(visit);
        return ValueTask.CompletedTask;
    }

    public ValueTask<LeaseRecord?> FindAsync(IPv4Address address, CancellationToken cancellationToken) => ValueTask.FromResult(_table.Find(address));

    public ValueTask<LeaseRecord?> FindByClientAsync(string clientKey, CancellationToken cancellationToken) => ValueTask.FromResult(_table.FindByClient(clientKey));

    public ValueTask<LeaseWriteResult> WriteAsync(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = _table.Write(lease, condition, now);
        if (result.Written)
        {
            Interlocked.Increment(ref _writes);
        }

        return ValueTask.FromResult(result);
    }

    public ValueTask<IReadOnlyList<LeaseRecord>> ListAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<LeaseRecord>>(_table.Snapshot());

    public Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var ended = _table.Snapshot().Where(l => l.Expires < before && l.State != LeaseState.Bound).ToList();
        ended.ForEach(l => _table.Remove(l.Address));
        return Task.FromResult(ended.Count);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
