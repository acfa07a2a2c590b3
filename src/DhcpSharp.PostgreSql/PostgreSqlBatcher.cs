using System.Data.Common;
using System.Net.Sockets;
using System.Threading.Channels;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DhcpSharp.PostgreSql;

/// <summary>
/// Group commit on PostgreSQL: one loop takes every pending operation (up to a batch), sends them
/// as one <see cref="NpgsqlBatch"/> — one round trip, one implicit transaction, one WAL flush —
/// and completes them all once the transaction has committed. While the database cannot be
/// reached, operations fail at once with <see cref="LeaseStoreUnavailableException"/> (nothing
/// is acknowledged without its commit) and a reconnect loop retries with a backoff capped at one
/// second, so serving resumes about a second after the database is back.
/// </summary>
internal sealed partial class PostgreSqlBatcher : IAsyncDisposable
{
    private const int MaximumBatch = 512;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Operation> _queue = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private volatile bool _available = true;
    private int _reconnecting;
    private long _commits;
    private long _writes;
    private long _failures;

    public PostgreSqlBatcher(NpgsqlDataSource source, TimeProvider time, ILogger logger)
    {
        _source = source;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public long Commits => Interlocked.Read(ref _commits);

    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Operations failed because the database could not be reached.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public bool Available => _available;

    /// <summary>Queues <paramref name="command"/>; <paramref name="read"/> turns its result set into the operation's result after the commit.</summary>
    public ValueTask<T> Enqueue<T>(NpgsqlBatchCommand command, Func<DbDataReader, CancellationToken, Task<T>> read, bool isWrite)
    {
        if (!_available)
        {
            Interlocked.Increment(ref _failures);
            return ValueTask.FromException<T>(new LeaseStoreUnavailableException("the lease database cannot be reached"));
        }

        var operation = new Operation<T>(command, read, isWrite);
        if (!_queue.Writer.TryWrite(operation))
        {
            return ValueTask.FromException<T>(new ObjectDisposedException(nameof(PostgreSqlBatcher)));
        }

        return new ValueTask<T>(operation.Done.Task);
    }

    /// <summary>Completes when everything queued before it has been committed (or failed).</summary>
    public async ValueTask FlushAsync()
    {
        var marker = new Operation<bool>(null, static (_, _) => Task.FromResult(true), isWrite: false);
        if (_queue.Writer.TryWrite(marker))
        {
            await marker.Done.Task.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<Operation>(MaximumBatch);
        NpgsqlConnection? connection = null;
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaximumBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                if (!_available)
                {
                    throw new LeaseStoreUnavailableException("the lease database cannot be reached");
                }

                connection ??= await _source.OpenConnectionAsync(_stopping.Token).ConfigureAwait(false);
                await ExecuteAsync(connection, batch).ConfigureAwait(false);
            }
            catch (Exception e) when (IsOutage(e))
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }

                Fail(batch, e as LeaseStoreUnavailableException ?? new LeaseStoreUnavailableException("the lease database cannot be reached: " + e.Message, e));
                StartReconnecting(e);
            }
            catch (Exception e)
            {
                // A statement the database refused: every operation of the (rolled back) batch fails, the connection stays.
                Fail(batch, e);
            }

            batch.Clear();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, List<Operation> batch)
    {
        var commands = batch.Where(o => o.Command is not null).ToList();
        if (commands.Count > 0)
        {
            await using var npgsqlBatch = new NpgsqlBatch(connection);
            foreach (var operation in commands)
            {
                npgsqlBatch.BatchCommands.Add(operation.Command!);
            }

            var reader = await npgsqlBatch.ExecuteReaderAsync(_stopping.Token).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                foreach (var operation in commands)
                {
                    await operation.ReadAsync(reader, _stopping.Token).ConfigureAwait(false);
                    await reader.NextResultAsync(_stopping.Token).ConfigureAwait(false);
                }
            }

            // The reader is consumed to the end of the implicit transaction: committed.
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _writes, commands.Count(o => o.IsWrite));
        }

        foreach (var operation in batch)
        {
            operation.Complete();
        }
    }

    private void Fail(List<Operation> batch, Exception failure)
    {
        Interlocked.Add(ref _failures, batch.Count);
        foreach (var operation in batch)
        {
            operation.Fail(failure);
        }
    }

    private void StartReconnecting(Exception cause)
    {
        _available = false;
        if (Interlocked.Exchange(ref _reconnecting, 1) != 0)
        {
            return;
        }

        Unreachable(_logger, cause.Message);
        _ = Task.Run(ReconnectAsync);
    }

    private async Task ReconnectAsync()
    {
        long since = _time.GetTimestamp();
        var backoff = FirstBackoff;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(backoff, _time, _stopping.Token).ConfigureAwait(false);
                await using var connection = await _source.OpenConnectionAsync(_stopping.Token).ConfigureAwait(false);
                await using var probe = new NpgsqlCommand("SELECT 1;", connection);
                await probe.ExecuteScalarAsync(_stopping.Token).ConfigureAwait(false);
                _available = true;
                Volatile.Write(ref _reconnecting, 0);
                Reachable(_logger, _time.GetElapsedTime(since).TotalSeconds);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsOutage(e))
            {
                backoff = backoff * 2 < MaximumBackoff ? backoff * 2 : MaximumBackoff;
            }
        }
    }

    /// <summary>The database is gone (down, restarting, network): not a refused statement.</summary>
    private static bool IsOutage(Exception e) => e switch
    {
        LeaseStoreUnavailableException => true,
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57", StringComparison.Ordinal) || p.SqlState == "53300",
        NpgsqlException or SocketException or IOException or TimeoutException or ObjectDisposedException => true,
        InvalidOperationException => true, // a broken connection's state
        _ => false,
    };

    [LoggerMessage(600, LogLevel.Warning, "Lease database unreachable ({Reason}): requests are dropped, nothing is acknowledged, reconnecting")]
    private static partial void Unreachable(ILogger logger, string reason);

    [LoggerMessage(601, LogLevel.Information, "Lease database reachable again after {Seconds:F1} s: serving")]
    private static partial void Reachable(ILogger logger, double seconds);

    private abstract class Operation(NpgsqlBatchCommand? command, bool isWrite)
    {
        public NpgsqlBatchCommand? Command { get; } = command;

        public bool IsWrite { get; } = isWrite;

        public abstract Task ReadAsync(DbDataReader reader, CancellationToken cancellationToken);

        public abstract void Complete();

        public abstract void Fail(Exception failure);
    }

    private sealed class Operation<T>(NpgsqlBatchCommand? command, Func<DbDataReader, CancellationToken, Task<T>> read, bool isWrite) : Operation(command, isWrite)
    {
        private T _result = default!;

        // Continuations run on the batch loop right after the commit (the engine moves user code off it).
        public TaskCompletionSource<T> Done { get; } = new();

        public override async Task ReadAsync(DbDataReader reader, CancellationToken cancellationToken) =>
            _result = await read(reader, cancellationToken).ConfigureAwait(false);

        public override void Complete() => Done.TrySetResult(_result);

        public override void Fail(Exception failure) => Done.TrySetException(failure);
    }
}
