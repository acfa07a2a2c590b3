using CsCheck;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Server.Tests;

/// <summary>
/// Random sequences of client operations against a small pool: the free lists and the lease
/// table must never disagree, so no address can be handed to two clients.
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
            var leases = new LeaseManager(plan, options, clock);
            var link = plan.Links[0];
            foreach (var (operation, clientNumber, value) in sequence)
            {
                var client = new ClientIdentity($"c{clientNumber}", 1, EngineHarness.Mac(clientNumber), null);
                var address = new IPv4Address(IPv4Address.Parse("192.0.2.98").Value + (uint)value % 12);
                switch (operation)
                {
                    case Operation.Offer:
                        leases.Offer(client, link, [], null, value % 3 == 0 ? address : null, null);
                        break;
                    case Operation.CommitOwn:
                        if (leases.FindByClient(client.Key) is { } own)
                        {
                            leases.Commit(client, link, [], null, own.Address, TimeSpan.FromMinutes(value + 1), null);
                        }

                        break;
                    case Operation.CommitOther:
                        leases.Commit(client, link, [], null, address, TimeSpan.FromMinutes(value + 1), null);
                        break;
                    case Operation.Release:
                        leases.Release(client, address);
                        break;
                    case Operation.Decline:
                        leases.Decline(client, address);
                        break;
                    case Operation.Advance:
                        clock.Advance(TimeSpan.FromSeconds(value * 20));
                        leases.ReclaimExpired();
                        break;
                }

                CheckInvariants(plan, leases, clock.GetUtcNow());
            }
        }, iter: 3_000);
    }

    private static void CheckInvariants(AddressPlan plan, LeaseManager leases, DateTimeOffset now)
    {
        var pool = plan.Links[0].Pools.Single().Addresses;
        var active = leases.Snapshot().Where(l => l.State is LeaseState.Offered or LeaseState.Bound or LeaseState.Declined && l.Expires > now).ToList();
        foreach (var lease in active)
        {
            Assert.False(pool.IsFree(lease.Address), $"{lease.Address} is {lease.State} for {lease.ClientKey} and also free");
        }

        // Each client holds at most one active (non-declined) address.
        var holders = active.Where(l => l.State != LeaseState.Declined).GroupBy(l => l.ClientKey);
        Assert.All(holders, group => Assert.Single(group));

        // Every address is either free or accounted for by a lease (expired ones are reclaimed lazily).
        int free = 0;
        for (uint a = pool.First.Value; a <= pool.Last.Value; a++)
        {
            var address = new IPv4Address(a);
            if (pool.IsFree(address))
            {
                free++;
            }
            else
            {
                Assert.NotNull(leases.FindByAddress(address));
            }
        }

        Assert.Equal(pool.FreeCount, free);
    }
}
