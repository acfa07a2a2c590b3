using System.Threading.Channels;
using DhcpSharp.Protocol;
using Microsoft.Data.Sqlite;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// The embedded lease store: one SQLite file in WAL mode with synchronous=FULL, so a committed
/// transaction survives power loss. Writes are group-committed: a single writer drains every
/// pending save into one transaction (one fsync) and completes all of their tasks together, so
/// durability costs one fsync per batch, not per lease.
/// </summary>
public sealed class SqliteLeaseStore : ILeaseStore
{
    private const int SchemaVersion = 1;
    private const int MaximumBatch = 4096;

    private readonly SqliteConnection _connection;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _commits;
    private long _writes;

    private SqliteLeaseStore(SqliteConnection connection)
    {
        _connection = connection;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Path { get; private init; } = "";

    /// <summary>Transactions committed so far (each is one fsync).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Lease writes committed so far; Writes / Commits is the mean batch size.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    public static async Task<SqliteLeaseStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;", cancellationToken).ConfigureAwait(false);
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            long current = (long)(await version.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
            if (current > SchemaVersion)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"lease store {path} has schema version {current}; this DhcpSharp knows up to {SchemaVersion}.");
            }
        }

        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS leases (
                address     INTEGER PRIMARY KEY,
                client_key  TEXT    NOT NULL,
                htype       INTEGER NOT NULL,
                hwaddr      BLOB    NOT NULL,
                client_id   BLOB,
                hostname    TEXT,
                state       INTEGER NOT NULL,
                starts      INTEGER NOT NULL,
                expires     INTEGER NOT NULL
            ) WITHOUT ROWID;
            PRAGMA user_version = 1;
            """, cancellationToken).ConfigureAwait(false);
        return new SqliteLeaseStore(connection) { Path = path };
    }

    public async Task<IReadOnlyList<LeaseRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<LeaseRecord>();
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT address, client_key, htype, hwaddr, client_id, hostname, state, starts, expires FROM leases;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new LeaseRecord(
                new IPv4Address((uint)reader.GetInt64(0)),
                reader.GetString(1),
                (byte)reader.GetInt64(2),
                (byte[])reader.GetValue(3),
                reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                (LeaseState)reader.GetInt64(6),
                FromStored(reader.GetInt64(7)),
                FromStored(reader.GetInt64(8))));
        }

        return leases;
    }

    public ValueTask SaveAsync(LeaseRecord lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Enqueue(new PendingWrite(lease, lease.Address));
    }

    public ValueTask RemoveAsync(IPv4Address address, CancellationToken cancellationToken) => Enqueue(new PendingWrite(null, address));

    public ValueTask FlushAsync(CancellationToken cancellationToken) => Enqueue(new PendingWrite(null, null));

    /// <summary>Deletes leases that ended before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM leases WHERE expires < $before AND state <> 2;";
        command.Parameters.AddWithValue("$before", ToStored(before));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask Enqueue(PendingWrite write)
    {
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(write), this);

        await write.Done.Task.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaximumBatch);
        await using var upsert = _connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO leases (address, client_key, htype, hwaddr, client_id, hostname, state, starts, expires)
            VALUES ($address, $client, $htype, $hw, $cid, $host, $state, $starts, $expires)
            ON CONFLICT(address) DO UPDATE SET client_key = excluded.client_key, htype = excluded.htype, hwaddr = excluded.hwaddr,
                client_id = excluded.client_id, hostname = excluded.hostname, state = excluded.state, starts = excluded.starts, expires = excluded.expires;
            """;
        var parameters = ColumnParameters.Select(name => upsert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        await using var delete = _connection.CreateCommand();
        delete.CommandText = "DELETE FROM leases WHERE address = $address;";
        var deleteAddress = delete.Parameters.Add(new SqliteParameter { ParameterName = "$address" });

        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaximumBatch && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.TrueForAll(w => w.Lease is null && w.Address is null))
            {
                // Only flush markers: everything before them is already committed.
                batch.ForEach(w => w.Done.TrySetResult());
                continue;
            }

            try
            {
                using var transaction = _connection.BeginTransaction();
                upsert.Transaction = transaction;
                delete.Transaction = transaction;
                int written = 0;
                foreach (var write in batch)
                {
                    if (write.Lease is { } lease)
                    {
                        parameters[0].Value = (long)lease.Address.Value;
                        parameters[1].Value = lease.ClientKey;
                        parameters[2].Value = (long)lease.HardwareType;
                        parameters[3].Value = lease.HardwareAddress;
                        parameters[4].Value = (object?)lease.ClientIdentifier ?? DBNull.Value;
                        parameters[5].Value = (object?)lease.HostName ?? DBNull.Value;
                        parameters[6].Value = (long)lease.State;
                        parameters[7].Value = ToStored(lease.Start);
                        parameters[8].Value = ToStored(lease.Expires);
                        upsert.ExecuteNonQuery();
                        written++;
                    }
                    else if (write.Address is { } address)
                    {
                        deleteAddress.Value = (long)address.Value;
                        delete.ExecuteNonQuery();
                        written++;
                    }
                }

                transaction.Commit();
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _writes, written);
                foreach (var write in batch)
                {
                    write.Done.TrySetResult();
                }
            }
            catch (Exception exception) when (exception is SqliteException or InvalidOperationException or IOException)
            {
                foreach (var write in batch)
                {
                    write.Done.TrySetException(exception);
                }
            }
        }
    }

    private static readonly string[] ColumnParameters = ["$address", "$client", "$htype", "$hw", "$cid", "$host", "$state", "$starts", "$expires"];

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long ToStored(DateTimeOffset time) => time == DateTimeOffset.MaxValue ? long.MaxValue : time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromStored(long value) => value == long.MaxValue ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(value);

    private sealed record PendingWrite(LeaseRecord? Lease, IPv4Address? Address)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
