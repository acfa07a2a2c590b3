using CsCheck;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Server.Tests;

/// <summary>
/// Random sequences of client operations against a small pool: the free lists (hints) and the
/// store (truth) must never disagree, so no address can be handed to two clients.
/// </summary>
public class LeaseManagerPropertyTests
{
    private enum Operation
    {
        Offer,
        CommitOwn,
        CommitOther,
        Release,
        Decline,
        Advance,
    }

    [Fact]
    public void Free_lists_and_active_leases_never_overlap()
    {
        var steps = Gen.Select(Gen.Enum<Operation>(), Gen.Int[0, 11], Gen.Int[0, 20]).Array[1, 80];
        steps.Sample(sequence =>
        {
            var options = EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.107") with
            {
                OfferTime = TimeSpan.FromSeconds(30),
                DeclineProbation = TimeSpan.FromMinutes(5),
            };
            var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
            var plan = new AddressPlan(options);
            var store = new MemoryLeaseStore();
            var leases = new LeaseManager(plan, options, clock, store);
            var link = plan.Links[0];
            foreach (var (operation, clientNumber, value) in sequence)
            {
                var client = new ClientIdentity($"c{clientNumber}", 1, EngineHarness.Mac(clientNumber), null);
                var address = new IPv4Address(IPv4Address.Parse("192.0.2.98").Value + (uint)value % 12);
                switch (operation)
                {
                    case Operation.Offer:
                        Wait(leases.OfferAsync(client, link, [], null, value % 3 == 0 ? address : null, null));
                        break;
                    case Operation.CommitOwn:
                        if (Wait(leases.FindByClientAsync(client.Key)) is { } own)
                        {
                            Wait(leases.CommitAsync(client, link, [], null, own.Address, TimeSpan.FromMinutes(value + 1), null));
                        }

                        break;
                    case Operation.CommitOther:
                        Wait(leases.CommitAsync(client, link, [], null, address, TimeSpan.FromMinutes(value + 1), null));
                        break;
                    case Operation.Release:
                        Wait(leases.ReleaseAsync(client, address));
                        break;
                    case Operation.Decline:
                        Wait(leases.DeclineAsync(client, address));
                        break;
                    case Operation.Advance:
                        clock.Advance(TimeSpan.FromSeconds(value * 20));
                        Wait(leases.ReclaimExpiredAsync());
                        break;
                }

                CheckInvariants(plan, store, clock.GetUtcNow());
            }
        }, iter: 3_000);
    }

    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void CheckInvariants(AddressPlan plan, MemoryLeaseStore store, DateTimeOffset now)
    {
        var pool = plan.Links[0].Pools.Single().Addresses;
        var rows = Wait(store.ListAsync(CancellationToken.None));
        var active = rows.Where(l => l.IsActiveAt(now)).ToList();
        foreach (var lease in active)
        {
            Assert.False(pool.IsFree(lease.Address), $"{lease.Address} is {lease.State} for {lease.ClientKey} and also free");
        }

        // Each client holds at most one active (non-declined) address.
        var holders = active.Where(l => l.State != LeaseState.Declined).GroupBy(l => l.ClientKey);
        Assert.All(holders, group => Assert.Single(group));

        // A free address in the pool is free in the store too (the hint never offers a held address).
        for (uint a = pool.First.Value; a <= pool.Last.Value; a++)
        {
            var address = new IPv4Address(a);
            if (pool.IsFree(address))
            {
                Assert.DoesNotContain(active, l => l.Address == address);
            }
        }
    }
}
