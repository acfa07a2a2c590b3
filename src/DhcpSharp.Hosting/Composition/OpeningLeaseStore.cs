using DhcpSharp.Protocol;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Composition;

/// <summary>
/// The lease store the host registers: the engine and the services are built before the store can
/// be opened (a database may need a while), so this opens the real one when the host starts
/// (<see cref="OpenAsync"/>, through the first registered factory that knows the location) and
/// forwards to it from then on.
/// </summary>
public sealed class OpeningLeaseStore(IEnumerable<ILeaseStoreFactory> factories, LeaseStoreOptions options, ILoggerFactory loggers) : ILeaseStore
{
    private ILeaseStore? _store;

    public ILeaseStore Store => _store ?? throw new InvalidOperationException("the lease store is not open yet");

    public LeaseStoreStatistics Statistics => _store?.Statistics ?? default;

    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        var factory = factories.FirstOrDefault(f => f.CanOpen(options.Location))
            ?? throw new ConfigurationException("leaseFile", $"\"{options.Location}\" is neither a file path nor a lease-store URI this build knows (postgresql://…)");
        _store = await factory.OpenAsync(options, loggers, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask VisitAsync(Action<IPv4Address, LeaseState, DateTimeOffset> visit, CancellationToken cancellationToken) => Store.VisitAsync(visit, cancellationToken);

    public ValueTask<LeaseRecord?> FindAsync(IPv4Address address, CancellationToken cancellationToken) => Store.FindAsync(address, cancellationToken);

    public ValueTask<LeaseRecord?> FindByClientAsync(string clientKey, CancellationToken cancellationToken) => Store.FindByClientAsync(clientKey, cancellationToken);

    public ValueTask<LeaseWriteResult> WriteAsync(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now, CancellationToken cancellationToken) => Store.WriteAsync(lease, condition, now, cancellationToken);

    public ValueTask<IReadOnlyList<LeaseRecord>> ListAsync(CancellationToken cancellationToken) => Store.ListAsync(cancellationToken);

    public Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) => Store.PurgeEndedBeforeAsync(before, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => _store?.FlushAsync(cancellationToken) ?? ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;
}
