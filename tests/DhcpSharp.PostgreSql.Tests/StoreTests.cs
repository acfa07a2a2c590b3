using DhcpSharp.Protocol;
using DhcpSharp.Server.Leases;
using DhcpSharp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.PostgreSql.Tests;

/// <summary>The conditional writes on a real PostgreSQL, several stores (servers) on one database, outages and schema migration.</summary>
public sealed class StoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static LeaseRecord Lease(int n, string client, LeaseState state = LeaseState.Offered, int minutes = 1) =>
        new(new IPv4Address(0xC0000200u + (uint)n), client, 1, [0x52, 0x54, 0, 0, 0, (byte)n], null, null, state, Now, Now.AddMinutes(minutes)) { Server = "test" };

    private static Task<PostgreSqlLeaseStore> OpenAsync(string uri) => PostgreSqlLeaseStore.OpenAsync(uri, NullLoggerFactory.Instance, CancellationToken.None);

    [Fact]
    public async Task A_claim_is_refused_while_another_client_holds_the_address_and_versions_grow()
    {
        await using var store = await OpenAsync(await SharedPostgreSql.NewDatabaseAsync());

        var first = await store.WriteAsync(Lease(1, "hw:a"), LeaseCondition.FreeOrHeldBy("hw:a"), Now, CancellationToken.None);
        Assert.True(first.Written);
        Assert.Equal(1, first.Current!.Version);

        var stolen = await store.WriteAsync(Lease(1, "hw:b"), LeaseCondition.FreeOrHeldBy("hw:b"), Now, CancellationToken.None);
        Assert.False(stolen.Written);
        Assert.Equal("hw:a", stolen.Current!.ClientKey);

        var renewed = await store.WriteAsync(Lease(1, "hw:a", LeaseState.Bound, 60), LeaseCondition.FreeOrHeldBy("hw:a"), Now, CancellationToken.None);
        Assert.True(renewed.Written);
        Assert.Equal(2, renewed.Current!.Version);

        // Once its time is up anyone may claim it.
        var later = Now.AddHours(2);
        Assert.True((await store.WriteAsync(Lease(1, "hw:b") with { Start = later, Expires = later.AddMinutes(1) }, LeaseCondition.FreeOrHeldBy("hw:b"), later, CancellationToken.None)).Written);
    }

    [Fact]
    public async Task Held_by_and_at_version_writes_need_the_row_to_be_what_the_server_saw()
    {
        await using var store = await OpenAsync(await SharedPostgreSql.NewDatabaseAsync());
        var offered = (await store.WriteAsync(Lease(2, "hw:a"), LeaseCondition.FreeOrHeldBy("hw:a"), Now, CancellationToken.None)).Current!;

        Assert.False((await store.WriteAsync(offered with { State = LeaseState.Released }, LeaseCondition.HeldBy("hw:b"), Now, CancellationToken.None)).Written);
        Assert.False((await store.WriteAsync(offered with { State = LeaseState.Expired }, LeaseCondition.AtVersion(offered.Version + 7), Now, CancellationToken.None)).Written);
        Assert.False((await store.WriteAsync(Lease(3, "hw:a"), LeaseCondition.HeldBy("hw:a"), Now, CancellationToken.None)).Written); // no row at all

        var released = await store.WriteAsync(offered with { State = LeaseState.Released, Expires = Now }, LeaseCondition.HeldBy("hw:a"), Now, CancellationToken.None);
        Assert.True(released.Written);
        Assert.False((await store.WriteAsync(offered with { State = LeaseState.Expired }, LeaseCondition.AtVersion(offered.Version), Now, CancellationToken.None)).Written);
        Assert.True((await store.WriteAsync(released.Current! with { State = LeaseState.Expired }, LeaseCondition.AtVersion(released.Current!.Version), Now, CancellationToken.None)).Written);
    }

    [Fact]
    public async Task Two_servers_on_one_database_see_each_others_claims_and_a_new_server_finds_a_client_it_never_saw()
    {
        string uri = await SharedPostgreSql.NewDatabaseAsync();
        await using var one = await OpenAsync(uri);
        await using var two = await OpenAsync(uri);

        Assert.True((await one.WriteAsync(Lease(4, "hw:a", LeaseState.Bound, 60), LeaseCondition.FreeOrHeldBy("hw:a"), Now, CancellationToken.None)).Written);
        var refused = await two.WriteAsync(Lease(4, "hw:b"), LeaseCondition.FreeOrHeldBy("hw:b"), Now, CancellationToken.None);
        Assert.False(refused.Written);
        Assert.Equal("hw:a", refused.Current!.ClientKey);

        // The second server learned nothing of hw:a before: it asks the database.
        var found = await two.FindByClientAsync("hw:a", CancellationToken.None);
        Assert.Equal(Lease(4, "hw:a").Address, found?.Address);
        // The client rebinding to the second server keeps its address.
        Assert.True((await two.WriteAsync(Lease(4, "hw:a", LeaseState.Bound, 120), LeaseCondition.FreeOrHeldBy("hw:a"), Now, CancellationToken.None)).Written);

        await using var three = await OpenAsync(uri);
        Assert.Equal(LeaseState.Bound, (await three.FindAsync(Lease(4, "hw:a").Address, CancellationToken.None))?.State);
    }

    [Fact]
    public async Task Concurrent_claims_of_one_address_by_many_servers_have_exactly_one_winner()
    {
        string uri = await SharedPostgreSql.NewDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync(uri)));
        try
        {
            for (int round = 0; round < 20; round++)
            {
                var claims = stores.SelectMany((store, s) => Enumerable.Range(0, 5).Select(c =>
                    store.WriteAsync(Lease(100 + round, $"hw:{s}-{c}"), LeaseCondition.FreeOrHeldBy($"hw:{s}-{c}"), Now, CancellationToken.None).AsTask()));
                var results = await Task.WhenAll(claims);
                Assert.Single(results, r => r.Written);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Servers_starting_at_once_create_the_schema_once()
    {
        var cluster = await SharedPostgreSql.GetAsync();
        string name = await cluster.CreateDatabaseAsync("simultaneous");
        var stores = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => OpenAsync(cluster.Uri(name))));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal("1", await cluster.SqlAsync("SELECT count(*) FROM dhcpsharp_schema;", name));
    }
}
