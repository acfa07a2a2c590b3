using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// The one thread that writes the lease file: it drains every pending write into one
/// transaction (one fsync) and completes all their tasks together, so durability costs one fsync
/// per batch, not per lease. Completions run on this thread right after the commit: the
/// continuation of a save (the engine building its ACK, the transport sending it) costs no
/// thread hop, and a batch's ACKs leave together.
/// </summary>
internal sealed class SqliteLeaseWriter : IDisposable
{
    private const int MaximumBatch = 4096;

    private readonly SqliteConnection _connection;
    private readonly TimeSpan _commitDelay;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<Pending> _pending = [];
    private bool _closed;
    private long _lastCommitEnd;
    private long _commits;
    private long _writes;

    public SqliteLeaseWriter(SqliteConnection connection, TimeSpan commitDelay)
    {
        _connection = connection;
        _commitDelay = commitDelay;
        new Thread(Run) { IsBackground = true, Name = "lease-store writer" }.Start();
    }

    public long Commits => Interlocked.Read(ref _commits);

    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Queues an upsert (or, with <paramref name="delete"/>, a delete) that completes with <paramref name="result"/> once committed.</summary>
    public ValueTask<LeaseWriteResult> Enqueue(LeaseRecord? upsert, uint? delete, LeaseWriteResult result)
    {
        var pending = new Pending(upsert, delete, result);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _pending.Add(pending);
            if (_pending.Count == 1 || _pending.Count == MaximumBatch)
            {
                Monitor.Pulse(_gate);
            }
        }

        return new ValueTask<LeaseWriteResult>(pending.Done.Task);
    }

    /// <summary>Completes when everything queued before it is committed.</summary>
    public ValueTask FlushAsync() => new(Enqueue(null, null, default).AsTask());

    public Task StopAsync()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }

        return _stopped.Task;
    }

    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private void Run()
    {
        try
        {
            WriteLoop();
            _stopped.TrySetResult();
        }
        catch (Exception e)
        {
            _stopped.TrySetException(e);
        }
    }

    /// <summary>Waits for pending writes and takes them all (up to a batch); null once closed and drained.</summary>
    private List<Pending>? TakeBatch(List<Pending> spare)
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

    private void WriteLoop()
    {
        var spare = new List<Pending>();
        using var upsert = new PreparedStatement(_connection, """
            INSERT INTO leases (address, client_key, htype, hwaddr, client_id, hostname, state, starts, expires, version, server)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            ON CONFLICT(address) DO UPDATE SET client_key = excluded.client_key, htype = excluded.htype, hwaddr = excluded.hwaddr,
                client_id = excluded.client_id, hostname = excluded.hostname, state = excluded.state, starts = excluded.starts,
                expires = excluded.expires, version = excluded.version, server = excluded.server;
            """);
        using var delete = new PreparedStatement(_connection, "DELETE FROM leases WHERE address = ?1;");
        using var begin = new PreparedStatement(_connection, "BEGIN;");
        using var commit = new PreparedStatement(_connection, "COMMIT;");

        while (TakeBatch(spare) is { } batch)
        {
            if (batch.TrueForAll(w => w.Upsert is null && w.Delete is null))
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
                    if (write.Upsert is { } lease)
                    {
                        upsert.Bind(1, lease.Address.Value).Bind(2, lease.ClientKey).Bind(3, lease.HardwareType).Bind(4, lease.HardwareAddress)
                            .Bind(5, lease.ClientIdentifier).Bind(6, lease.HostName).Bind(7, (long)lease.State)
                            .Bind(8, LeaseTable.ToStored(lease.Start)).Bind(9, LeaseTable.ToStored(lease.Expires)).Bind(10, lease.Version).Bind(11, lease.Server)
                            .Execute();
                        written++;
                    }
                    else if (write.Delete is { } address)
                    {
                        delete.Bind(1, address).Execute();
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

    private static void Complete(List<Pending> batch, Exception? failure)
    {
        foreach (var write in batch)
        {
            if (failure is null)
            {
                write.Done.TrySetResult(write.Result);
            }
            else
            {
                write.Done.TrySetException(failure);
            }
        }
    }

    private static List<Pending> Recycle(List<Pending> batch)
    {
        batch.Clear();
        return batch;
    }

    private sealed class Pending(LeaseRecord? upsert, uint? delete, LeaseWriteResult result)
    {
        public LeaseRecord? Upsert { get; } = upsert;

        public uint? Delete { get; } = delete;

        public LeaseWriteResult Result { get; } = result;

        // Synchronous continuations on purpose: see the class remarks.
        public TaskCompletionSource<LeaseWriteResult> Done { get; } = new();
    }
}
