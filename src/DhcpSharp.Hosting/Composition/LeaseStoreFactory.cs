using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Hosting.Composition;

/// <summary>The built-in stores: the embedded SQLite file (default), or ":memory:" for a store that keeps nothing.</summary>
public sealed class LeaseStoreFactory : ILeaseStoreFactory
{
    public const string InMemory = ":memory:";

    public ILeaseStore Open(DhcpSharpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.LeaseFile == InMemory
            ? new MemoryLeaseStore()
            : SqliteLeaseStore.Open(settings.LeaseFile, settings.LeaseCommitDelay);
    }
}
