using DhcpSharp.Protocol;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DhcpSharp.PostgreSql;

/// <summary>
/// Leases in PostgreSQL, shared by any number of servers: every change is one conditional
/// statement (INSERT … ON CONFLICT … WHERE, or UPDATE … WHERE) that the database decides
/// atomically, so two servers can never both win an address, and an offer made by one server is
/// a claim every other server sees. Writes are group-committed (<see cref="PostgreSqlBatcher"/>).
/// What this server has seen is kept in a <see cref="LeaseTable"/>: lookups answer from it (hints;
/// the conditional write is the final word), and a client it has never seen is looked up in the
/// database.
/// </summary>
public sealed class PostgreSqlLeaseStore : ILeaseStore
{
    private readonly NpgsqlDataSource _source;
    private readonly PostgreSqlBatcher _batcher;
    private readonly LeaseTable _cache = new();
    private readonly TimeProvider _time;

    private PostgreSqlLeaseStore(NpgsqlDataSource source, TimeProvider time, ILogger logger)
    {
        _source = source;
        _time = time;
        _batcher = new PostgreSqlBatcher(source, time, logger);
    }

    public LeaseStoreStatistics Statistics => new(_batcher.Commits, _batcher.Writes);

    /// <summary>Requests failed because the database could not be reached.</summary>
    public long Failures => _batcher.Failures;

    /// <summary>Whether the database answers now.</summary>
    public bool Available => _batcher.Available;

    /// <summary>Rows this server knows (loaded at open, learned since).</summary>
    public int CachedRows => _cache.Count;

    /// <summary>
    /// Connects (waiting, with a capped backoff, while the database cannot be reached), creates or
    /// migrates the schema and reads every row.
    /// </summary>
    public static async Task<PostgreSqlLeaseStore> OpenAsync(string uri, ILoggerFactory loggers, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var builder = PostgreSqlConnectionUri.Parse(uri);
        builder.ApplicationName ??= "dhcpsharp";
        var logger = loggers.CreateLogger("DhcpSharp.PostgreSql");
        var source = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        var clock = time ?? TimeProvider.System;
        try
        {
            await ConnectAsync(source, logger, clock, cancellationToken).ConfigureAwait(false);
            var store = new PostgreSqlLeaseStore(source, clock, logger);
            await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask VisitAsync(Action<IPv4Address, LeaseState, DateTimeOffset> visit, CancellationToken cancellationToken)
    {
        _cache.ForEach(visit);
        return ValueTask.CompletedTask;
    }

    public ValueTask<LeaseRecord?> FindAsync(IPv4Address address, CancellationToken cancellationToken) => ValueTask.FromResult(_cache.Find(address));

    public ValueTask<LeaseRecord?> FindByClientAsync(string clientKey, CancellationToken cancellationToken)
    {
        if (_cache.FindByClient(clientKey) is { } known)
        {
            return ValueTask.FromResult<LeaseRecord?>(known);
        }

        return LookUpAsync(clientKey);
    }

    public ValueTask<LeaseWriteResult> WriteAsync(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return WriteCoreAsync(lease, condition, now);
    }

    public async ValueTask<IReadOnlyList<LeaseRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = new List<LeaseRecord>();
        await using var command = _source.CreateCommand(PostgreSqlLeaseRows.All);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(PostgreSqlLeaseRows.Read(reader));
        }

        return rows;
    }

    /// <summary>Deletes rows that ended before <paramref name="before"/> and are not bound (any server may; it is idempotent).</summary>
    public async Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(PostgreSqlLeaseRows.Purge);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LeaseTable.ToStored(before) });
        int deleted = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _cache.Remove(new IPv4Address((uint)reader.GetInt64(0)));
            deleted++;
        }

        return deleted;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => _batcher.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<LeaseWriteResult> WriteCoreAsync(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now)
    {
        var result = await _batcher.Enqueue(PostgreSqlLeaseRows.Write(lease, condition, now), (reader, ct) => PostgreSqlLeaseRows.ReadWriteResultAsync(reader, lease, ct), isWrite: true).ConfigureAwait(false);
        if (result.Current is { } row)
        {
            _cache.Put(row);
        }

        return result;
    }

    private async ValueTask<LeaseRecord?> LookUpAsync(string clientKey)
    {
        var found = await _batcher.Enqueue(PostgreSqlLeaseRows.FindByClient(clientKey, _time.GetUtcNow()), static async (reader, ct) =>
            await reader.ReadAsync(ct).ConfigureAwait(false) ? PostgreSqlLeaseRows.Read(reader) : null, isWrite: false).ConfigureAwait(false);
        if (found is not null)
        {
            _cache.Put(found);
        }

        return found;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(PostgreSqlLeaseRows.All);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _cache.Put(PostgreSqlLeaseRows.Read(reader));
        }
    }

    /// <summary>The first connection, with the schema; a server started before its database waits for it.</summary>
    private static async Task ConnectAsync(NpgsqlDataSource source, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await PostgreSqlSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException and not PostgresException || e is PostgresException { SqlState: "57P03" or "53300" } || e is System.Net.Sockets.SocketException or TimeoutException)
            {
                // Not up yet (or starting: 57P03): wait and try again; a wrong password or database is an error at once.
                PostgreSqlLog.Waiting(logger, e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                backoff = backoff * 2 < TimeSpan.FromSeconds(5) ? backoff * 2 : TimeSpan.FromSeconds(5);
            }
        }
    }
}
