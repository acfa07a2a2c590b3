using Microsoft.Extensions.Logging;

namespace DhcpSharp.Server.Leases;

/// <summary>Opens the stores it knows (by location); a host asks each registered factory in turn.</summary>
public interface ILeaseStoreFactory
{
    /// <summary>Whether <paramref name="location"/> is this factory's kind (a URI scheme, a path).</summary>
    bool CanOpen(string location);

    /// <summary>
    /// Opens (and creates or migrates) the store. A store behind a network may wait here until it
    /// can be reached, logging, until <paramref name="cancellationToken"/> fires.
    /// </summary>
    ValueTask<ILeaseStore> OpenAsync(LeaseStoreOptions options, ILoggerFactory loggers, CancellationToken cancellationToken);
}
