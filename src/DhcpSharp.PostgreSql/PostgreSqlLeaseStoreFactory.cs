using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.PostgreSql;

/// <summary>Opens postgresql:// (and postgres://) lease-store locations. Register it as an <see cref="ILeaseStoreFactory"/>.</summary>
public sealed class PostgreSqlLeaseStoreFactory(TimeProvider? time = null) : ILeaseStoreFactory
{
    public bool CanOpen(string location) => PostgreSqlConnectionUri.IsPostgreSqlUri(location);

    public async ValueTask<ILeaseStore> OpenAsync(LeaseStoreOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await PostgreSqlLeaseStore.OpenAsync(options.Location, loggers, cancellationToken, time).ConfigureAwait(false);
    }
}
