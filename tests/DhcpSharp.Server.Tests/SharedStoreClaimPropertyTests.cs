using System.Collections.Concurrent;
using CsCheck;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Leases;
using DhcpSharp.PostgreSql;
using DhcpSharp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Server.Tests;

/// <summary>
/// Several servers (lease managers, each with its own hints) on one store, many tasks at once,
/// random operations: the store's conditional writes must keep every address with one holder,
/// and the reserved address with its own client, whatever the interleaving.
/// </summary>
public class SharedStoreClaimPropertyTests
{
    private static readonly IPv4Address Reserved = IPv4Address.Parse("192.0.2.100");
    private const int ReservedClient = 0;

    private enum Operation
    {
        Offer,
        Request,
        RequestOther,
        Release,
        Decline,
        Withdraw,
    }

    /// <summary>In memory (one store object, many threads) and on PostgreSQL (one store per server, one database: the real shape).</summary>
    [Theory]
    [InlineData(StoreKind.Memory, 400)]
    [InlineData(StoreKind.PostgreSql, 12)]
    public void Concurrent_claims_from_three_servers_never_give_an_address_to_two_clients(StoreKind kind, int iterations)
    {
        var plans = Gen.Select(Gen.Enum<Operation>(), Gen.Int[0, 9], Gen.Int[0, 2], Gen.Int[0, 9]).Array[20, 120];
        plans.Sample(operations =>
        {
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
            var options = Options();
            var stores = OpenStores(kind);
            var store = stores[0];
            var servers = Enumerable.Range(0, 3).Select(i =>
            {
                var plan = new AddressPlan(options);
                return (Plan: plan, Leases: new LeaseManager(plan, options, clock, stores[i], $"server{i}"));
            }).ToArray();
            var grants = new ConcurrentBag<(int Client, IPv4Address Address, LeaseState State)>();
            Parallel.ForEach(operations, new ParallelOptions { MaxDegreeOfParallelism = 8 }, step =>
            {
                var (operation, clientNumber, serverNumber, value) = step;
                // A client talks to one server at a time, as DHCP clients do (the others withdraw);
                // only the reserved client is sent to any of them, to test its address everywhere.
                var (plan, leases) = servers[clientNumber == ReservedClient ? serverNumber : clientNumber % servers.Length];
                var link = plan.Links[0];
                var client = new ClientIdentity($"hw:1:{Convert.ToHexStringLower(EngineHarness.Mac(clientNumber))}", 1, EngineHarness.Mac(clientNumber), null);
                var reserved = clientNumber == ReservedClient ? Reserved : (IPv4Address?)null;
                var address = new IPv4Address(Reserved.Value + (uint)value % 6);
                LeaseDecision decision = operation switch
                {
                    Operation.Offer => Wait(leases.OfferAsync(client, link, [], reserved, value % 2 == 0 ? address : null, null)),
                    Operation.Request => Wait(leases.FindByClientAsync(client.Key)) is { } own
                        ? Wait(leases.CommitAsync(client, link, [], reserved, own.Address, TimeSpan.FromHours(1), null))
                        : default,
                    Operation.RequestOther => Wait(leases.CommitAsync(client, link, [], reserved, address, TimeSpan.FromHours(1), null)),
                    Operation.Release => Wait(leases.ReleaseAsync(client, address)),
                    Operation.Decline => Wait(leases.DeclineAsync(client, address)),
                    _ => WithdrawThenNothing(leases, client),
                };
                if (decision is { Outcome: LeaseOutcome.Granted, Lease: { State: LeaseState.Offered or LeaseState.Bound } lease })
                {
                    grants.Add((clientNumber, lease.Address, lease.State));
                }
            });

            // The reserved address went to its own client only.
            Assert.DoesNotContain(grants, g => g.Address == Reserved && g.Client != ReservedClient);

            // Now (no time has passed): each address has one row, each active row one holder, and
            // the holders of all rows are distinct per address by construction of the store —
            // check that every active binding is one some server actually granted to that client.
            var now = clock.GetUtcNow();
            var active = Wait(store.ListAsync(CancellationToken.None)).Where(l => l.IsActiveAt(now) && l.State != LeaseState.Declined).ToList();
            // A client holds one address at a time (the reserved one, sent to all servers at once, aside).
            string reservedKey = $"hw:1:{Convert.ToHexStringLower(EngineHarness.Mac(ReservedClient))}";
            Assert.All(active.Where(l => l.ClientKey != reservedKey).GroupBy(l => l.ClientKey), g => Assert.Single(g));
            foreach (var row in active)
            {
                Assert.False(row.Address == Reserved && row.ClientKey != reservedKey, $"reserved address held by {row.ClientKey}");
            }

            // Other servers' free lists may be stale (hints: the store refuses their claims), but
            // the server that wrote a row never keeps its address in its own free list.
            Assert.All(active, row =>
            {
                var pool = servers.Single(s => s.Leases.Server == row.Server).Plan.Links[0].Pools.Single().Addresses;
                Assert.False(pool.IsFree(row.Address), $"{row.Address} held by {row.ClientKey} is free in {row.Server}'s pool");
            });
            foreach (var opened in stores.Distinct())
            {
                opened.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }, iter: iterations, threads: 1);
    }

    /// <summary>Three stores for three servers: the same object in memory, three connections to one fresh database on PostgreSQL.</summary>
    private static ILeaseStore[] OpenStores(StoreKind kind)
    {
        if (kind == StoreKind.Memory)
        {
            var memory = new MemoryLeaseStore();
            return [memory, memory, memory];
        }

        string uri = SharedPostgreSql.NewDatabaseAsync().GetAwaiter().GetResult();
        return [.. Enumerable.Range(0, 3).Select(_ => (ILeaseStore)PostgreSqlLeaseStore.OpenAsync(uri, NullLoggerFactory.Instance, CancellationToken.None).GetAwaiter().GetResult())];
    }

    private static DhcpServerOptions Options()
    {
        var options = EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.105");
        return options with
        {
            Subnets = [options.Subnets[0] with { Reservations = [new ReservationOptions { HardwareAddress = EngineHarness.Mac(ReservedClient), Address = Reserved }] }],
        };
    }

    private static LeaseDecision WithdrawThenNothing(LeaseManager leases, ClientIdentity client)
    {
        leases.WithdrawAsync(client).AsTask().GetAwaiter().GetResult();
        return default;
    }

    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
