using System.Diagnostics;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Leases;
using DhcpSharp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.PostgreSql.Tests;

/// <summary>
/// A database that goes away: nothing is acknowledged without its commit (writes fail, fast), the
/// store reconnects by itself, and writes succeed again within 5 s of the database's return.
/// Its own cluster, so stopping it disturbs no other test.
/// </summary>
public sealed class OutageTests
{
    [Fact]
    public async Task Writes_fail_while_the_database_is_down_and_succeed_again_within_five_seconds_of_its_return()
    {
        await using var cluster = await PostgreSqlCluster.StartAsync();
        string uri = cluster.Uri(await cluster.CreateDatabaseAsync("outage"));
        await using var store = await PostgreSqlLeaseStore.OpenAsync(uri, NullLoggerFactory.Instance, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        LeaseRecord Lease(int n) => new(new IPv4Address(0x0A000000u + (uint)n), $"hw:1:0200000000{n:x2}", 1, [2, 0, 0, 0, 0, (byte)n], null, null, LeaseState.Bound, now, now.AddHours(1));
        Assert.True((await store.WriteAsync(Lease(1), LeaseCondition.FreeOrHeldBy(Lease(1).ClientKey), now, CancellationToken.None)).Written);

        await cluster.StopServerAsync();
        int failed = 0;
        for (int n = 2; n < 12; n++)
        {
            try
            {
                await store.WriteAsync(Lease(n), LeaseCondition.FreeOrHeldBy(Lease(n).ClientKey), now, CancellationToken.None);
            }
            catch (LeaseStoreUnavailableException)
            {
                failed++;
            }
        }

        Assert.Equal(10, failed);
        Assert.False(store.Available);

        await cluster.StartServerAsync();
        var back = Stopwatch.StartNew();
        LeaseWriteResult? written = null;
        while (back.Elapsed < TimeSpan.FromSeconds(10) && written is null)
        {
            try
            {
                written = await store.WriteAsync(Lease(20), LeaseCondition.FreeOrHeldBy(Lease(20).ClientKey), now, CancellationToken.None);
            }
            catch (LeaseStoreUnavailableException)
            {
                await Task.Delay(50);
            }
        }

        Assert.True(written is { Written: true }, "the store did not serve again within 10 s of the database's return");
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(5), $"serving resumed {back.Elapsed.TotalSeconds:F1} s after the database came back");

        // None of the refused writes reached the database; the first and the last did.
        var rows = await store.ListAsync(CancellationToken.None);
        Assert.Equal([Lease(1).Address, Lease(20).Address], rows.Select(r => r.Address).Order());
    }

    [Fact]
    public async Task A_password_comes_from_the_uri_from_pgpassword_or_from_the_password_file()
    {
        const string password = "s3cret:@/pw";
        await using var cluster = await PostgreSqlCluster.StartAsync(password);
        await using (var inUri = await PostgreSqlLeaseStore.OpenAsync(cluster.Uri("postgres", password: password), NullLoggerFactory.Instance, CancellationToken.None))
        {
            Assert.True(inUri.Available);
        }

        string passfile = Path.Combine(cluster.Directory, "pgpass");
        await File.WriteAllTextAsync(passfile, $"*:*:*:postgres:{password.Replace(":", "\\:", StringComparison.Ordinal)}\n");
        File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var fromFile = await PostgreSqlLeaseStore.OpenAsync(cluster.Uri("postgres") + $"&passfile={passfile}", NullLoggerFactory.Instance, CancellationToken.None))
        {
            Assert.True(fromFile.Available);
        }

        Environment.SetEnvironmentVariable("PGPASSWORD", password);
        try
        {
            await using var fromEnvironment = await PostgreSqlLeaseStore.OpenAsync(cluster.Uri("postgres"), NullLoggerFactory.Instance, CancellationToken.None);
            Assert.True(fromEnvironment.Available);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", null);
        }
    }
}
