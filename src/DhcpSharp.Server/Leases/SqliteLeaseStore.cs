using System.Diagnostics;
using DhcpSharp.Protocol;
using Microsoft.Data.Sqlite;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// The embedded lease store: one SQLite file in WAL mode with synchronous=FULL, so a committed
/// transaction survives power loss. Writes are group-committed: a single writer thread drains
/// every pending save into one transaction (one fsync) and completes all of their tasks together,
/// so durability costs one fsync per batch, not per lease.
/// </summary>
/// <remarks>
/// Completions run on the writer thread, right after the commit: the continuation of a save
/// (the engine building its ACK, the transport sending it) costs no thread hop, and a batch's
/// ACKs leave together. Continuations must therefore be short; the engine moves user code
/// (events, callbacks) off this thread.
/// </remarks>
public sealed class SqliteLeaseStore : ILeaseStore
{
    private const int SchemaVersion = 1;
    private const int MaximumBatch = 4096;

    private readonly SqliteConnection _connection;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<PendingWrite> _pending = [];
    private readonly TimeSpan _commitDelay;
    private bool _closed;
    private long _lastCommitEnd;
    private long _commits;
    private long _writes;

    private SqliteLeaseStore(SqliteConnection connection, TimeSpan commitDelay)
    {
        _connection = connection;
        _commitDelay = commitDelay;
        new Thread(WriterThread) { IsBackground = true, Name = "lease-store writer" }.Start();
    }

    public string Path { get; private init; } = "";

    /// <summary>Transactions committed so far (each is one fsync).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Lease writes committed so far; Writes / Commits is the mean batch size.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    public LeaseStoreStatistics Statistics => new(Commits, Writes);

    /// <summary>Opens (creating if needed) the lease file.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <param name="commitDelay">
    /// Group-commit window: while saves arrive faster than one per window (the previous commit
    /// ended less than a window ago), the writer waits this long after the first pending save so
    /// that more share its fsync. A lone save on a quiet server is committed at once. Zero: never
    /// wait (batches then form only while an fsync runs).
    /// </param>
    public static Task<SqliteLeaseStore> OpenAsync(string path, CancellationToken cancellationToken, TimeSpan commitDelay = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Open(path, commitDelay));
    }

    /// <summary>Opens (creating if needed) the lease file. SQLite's API is synchronous underneath, so this is too.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="commitDelay">The group-commit window (see <see cref="OpenAsync"/>).</param>
    public static SqliteLeaseStore Open(string path, TimeSpan commitDelay = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(commitDelay, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
        using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            long current = (long)(version.ExecuteScalar() ?? 0L);
            if (current > SchemaVersion)
            {
                connection.Dispose();
                throw new InvalidOperationException($"lease store {path} has schema version {current}; this DhcpSharp knows up to {SchemaVersion}.");
            }
        }

        Execute(connection, """
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
            """);
        return new SqliteLeaseStore(connection, commitDelay) { Path = path };
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
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }

        await _writerStopped.Task.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private ValueTask Enqueue(PendingWrite write)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _pending.Add(write);
            if (_pending.Count == 1 || _pending.Count == MaximumBatch)
            {
                Monitor.Pulse(_gate);
            }
        }

        return new ValueTask(write.Done.Task);
    }

    /// <summary>Waits for pending writes and takes them all (up to a batch); null once closed and drained.</summary>
    private List<PendingWrite>? TakeBatch(List<PendingWrite> spare)
    {
        lock (_gate)
        {
            while (_pending.Count == 0)
            {
                if (_closed)
                {
                    return null;
                }

                Monitor.Wait(_gate);
            }

            if (_commitDelay > TimeSpan.Zero && Stopwatch.GetElapsedTime(_lastCommitEnd) < _commitDelay)
            {
                // Group commit with a window: saves arriving meanwhile share this fsync.
                long deadline = Stopwatch.GetTimestamp() + (long)(_commitDelay.TotalSeconds * Stopwatch.Frequency);
                while (_pending.Count < MaximumBatch && !_closed)
                {
                    var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }

                    // Whole milliseconds: a shorter timeout would return at once and spin.
                    Monitor.Wait(_gate, (int)Math.Ceiling(left.TotalMilliseconds));
                }
            }

            if (_pending.Count <= MaximumBatch)
            {
                var taken = _pending;
                _pending = spare;
                return taken;
            }

            spare.AddRange(_pending.GetRange(0, MaximumBatch));
            _pending.RemoveRange(0, MaximumBatch);
            return spare;
        }
    }

    private void WriterThread()
    {
        try
        {
            WriteLoop();
            _writerStopped.TrySetResult();
        }
        catch (Exception e)
        {
            _writerStopped.TrySetException(e);
        }
    }

    private void WriteLoop()
    {
        var spare = new List<PendingWrite>();
        using var upsert = new PreparedStatement(_connection, """
            INSERT INTO leases (address, client_key, htype, hwaddr, client_id, hostname, state, starts, expires)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            ON CONFLICT(address) DO UPDATE SET client_key = excluded.client_key, htype = excluded.htype, hwaddr = excluded.hwaddr,
                client_id = excluded.client_id, hostname = excluded.hostname, state = excluded.state, starts = excluded.starts, expires = excluded.expires;
            """);
        using var delete = new PreparedStatement(_connection, "DELETE FROM leases WHERE address = ?1;");
        using var begin = new PreparedStatement(_connection, "BEGIN;");
        using var commit = new PreparedStatement(_connection, "COMMIT;");

        while (TakeBatch(spare) is { } batch)
        {
            if (batch.TrueForAll(w => w.Lease is null && w.Address is null))
            {
                // Only flush markers: everything before them is already committed.
                Complete(batch, null);
                spare = Recycle(batch);
                continue;
            }

            try
            {
                begin.Execute();
                int written = 0;
                foreach (var write in batch)
                {
                    if (write.Lease is { } lease)
                    {
                        upsert.Bind(1, lease.Address.Value).Bind(2, lease.ClientKey).Bind(3, lease.HardwareType).Bind(4, lease.HardwareAddress)
                            .Bind(5, lease.ClientIdentifier).Bind(6, lease.HostName).Bind(7, (long)lease.State)
                            .Bind(8, ToStored(lease.Start)).Bind(9, ToStored(lease.Expires))
                            .Execute();
                        written++;
                    }
                    else if (write.Address is { } address)
                    {
                        delete.Bind(1, address.Value).Execute();
                        written++;
                    }
                }

                commit.Execute();
                _lastCommitEnd = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _writes, written);
                Complete(batch, null);
            }
            catch (Exception exception) when (exception is SqliteException or InvalidOperationException or IOException)
            {
                RollBack();
                Complete(batch, exception);
            }

            spare = Recycle(batch);
        }
    }

    private void RollBack()
    {
        try
        {
            using var rollback = _connection.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // No transaction was open (BEGIN itself failed): nothing to undo.
        }
    }

    private static void Complete(List<PendingWrite> batch, Exception? failure)
    {
        foreach (var write in batch)
        {
            if (failure is null)
            {
                write.Done.TrySetResult();
            }
            else
            {
                write.Done.TrySetException(failure);
            }
        }
    }

    private static List<PendingWrite> Recycle(List<PendingWrite> batch)
    {
        batch.Clear();
        return batch;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long ToStored(DateTimeOffset time) => time == DateTimeOffset.MaxValue ? long.MaxValue : time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromStored(long value) => value == long.MaxValue ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(value);

    private sealed record PendingWrite(LeaseRecord? Lease, IPv4Address? Address)
    {
        // Synchronous continuations on purpose: see the class remarks.
        public TaskCompletionSource Done { get; } = new();
    }
}
