using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Tests;

/// <summary>The stores the same lease tests run against.</summary>
public enum StoreKind
{
    Memory,
    Sqlite,
}

/// <summary>Opens a fresh store of a kind in a temporary directory, and reopens it (a restart).</summary>
internal sealed class TestStores : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpsharp-store-").FullName;
    private MemoryLeaseStore? _memory;

    public ILeaseStore Open(StoreKind kind) => kind switch
    {
        StoreKind.Memory => _memory ??= new MemoryLeaseStore(),
        _ => SqliteLeaseStore.Open(Path.Combine(_directory, "leases.db")),
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
