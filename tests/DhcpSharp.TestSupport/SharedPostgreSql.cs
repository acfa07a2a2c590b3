namespace DhcpSharp.TestSupport;

/// <summary>
/// One private PostgreSQL cluster per test process, started by the first test that needs it
/// (tests that do not, never pay for it) and stopped when the process exits. Each test takes its
/// own fresh database.
/// </summary>
public static class SharedPostgreSql
{
    private static readonly Lazy<Task<PostgreSqlCluster>> Cluster = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int s_databases;

    /// <summary>A new empty database on the shared cluster, as a dhcpsharp lease-store URI.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var cluster = await Cluster.Value;
        string name = await cluster.CreateDatabaseAsync($"leases{Interlocked.Increment(ref s_databases)}");
        return cluster.Uri(name);
    }

    public static Task<PostgreSqlCluster> GetAsync() => Cluster.Value;

    private static async Task<PostgreSqlCluster> StartAsync()
    {
        var cluster = await PostgreSqlCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return cluster;
    }
}
