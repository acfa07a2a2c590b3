using DhcpSharp.Protocol;
using Microsoft.Data.Sqlite;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// The embedded lease store: the truth is a compact in-memory table (this process is the file's
/// only writer), made durable in one SQLite file in WAL mode with synchronous=FULL, so a
/// committed transaction survives power loss. Conditional writes are decided in the table at
/// once; bindings, releases, declines and expiries then wait for their group commit (see
/// <see cref="SqliteLeaseWriter"/>), offers do not.
/// </summary>
public sealed class SqliteLeaseStore : ILeaseStore
{
    private readonly SqliteConnection _connection;
    private readonly LeaseTable _table;
    private readonly SqliteLeaseWriter _writer;

    private SqliteLeaseStore(SqliteConnection connection, LeaseTable table, TimeSpan commitDelay, string path)
    {
        _connection = connection;
        _table = table;
        _writer = new SqliteLeaseWriter(connection, commitDelay);
        Path = path;
    }

    public string Path { get; }

    /// <summary>Rows in the table (loaded at open, plus what was written since).</summary>
    public int Count => _table.Count;

    /// <summary>Transactions committed so far (each is one fsync).</summary>
    public long Commits => _writer.Commits;

    /// <summary>Lease writes committed so far; Writes / Commits is the mean batch size.</summary>
    public long Writes => _writer.Writes;

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

    /// <summary>Opens (creating if needed) the lease file and reads it. SQLite's API is synchronous underneath, so this is too.</summary>
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
        try
        {
            connection.Open();
            SqliteSchema.CreateOrMigrate(connection, path);
            var table = new LeaseTable();
            SqliteLeaseLoader.Load(connection, table);
            return new SqliteLeaseStore(connection, table, commitDelay, path);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public ValueTask VisitAsync(Action<IPv4Address, LeaseState, DateTimeOffset> visit, CancellationToken cancellationToken)
    {
        _table.ForEach(visit);
        return ValueTask.CompletedTask;
    }

    public ValueTask<LeaseRecord?> FindAsync(IPv4Address address, CancellationToken cancellationToken) => ValueTask.FromResult(_table.Find(address));

    public ValueTask<LeaseRecord?> FindByClientAsync(string clientKey, CancellationToken cancellationToken) => ValueTask.FromResult(_table.FindByClient(clientKey));

    public ValueTask<LeaseWriteResult> WriteAsync(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var result = _table.Write(lease, condition, now);
        return result.Written && lease.NeedsDurability
            ? _writer.Enqueue(result.Current, null, result)
            : ValueTask.FromResult(result);
    }

    public ValueTask<IReadOnlyList<LeaseRecord>> ListAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<LeaseRecord>>(_table.Snapshot());

    /// <summary>Deletes rows that ended before <paramref name="before"/> and are not bound; returns how many.</summary>
    public async Task<int> PurgeEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var ended = _table.Snapshot().Where(l => l.Expires < before && l.State != LeaseState.Bound).ToList();
        var deletes = new List<Task>(ended.Count);
        foreach (var lease in ended)
        {
            _table.Remove(lease.Address);
            deletes.Add(_writer.Enqueue(null, lease.Address.Value, default).AsTask());
        }

        await Task.WhenAll(deletes).ConfigureAwait(false);
        return ended.Count;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        await _writer.StopAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
