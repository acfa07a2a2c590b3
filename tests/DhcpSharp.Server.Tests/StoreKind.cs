using DhcpSharp.PostgreSql;
using DhcpSharp.Server.Leases;
using DhcpSharp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Server.Tests;

/// <summary>The stores the same lease tests run against.</summary>
public enum StoreKind
{
    Memory,
    Sqlite,
    PostgreSql,
}

/// <summary>Opens a fresh store of a kind in a temporary directory, and reopens it (a restart).</summary>
internal sealed class TestStores : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpsharp-store-").FullName;
    private MemoryLeaseStore? _memory;
    private string? _database;

    /// <summary>The store of this kind (the same file or database each time: a second open is a restart).</summary>
    public async Task<ILeaseStore> OpenAsync(StoreKind kind) => kind switch
    {
        StoreKind.Memory => _memory ??= new MemoryLeaseStore(),
        StoreKind.Sqlite => SqliteLeaseStore.Open(Path.Combine(_directory, "leases.db")),
        _ => await PostgreSqlLeaseStore.OpenAsync(_database ??= await SharedPostgreSql.NewDatabaseAsync(), NullLoggerFactory.Instance, CancellationToken.None),
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
