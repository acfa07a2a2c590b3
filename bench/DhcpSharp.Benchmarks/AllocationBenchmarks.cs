using System.Globalization;
using BenchmarkDotNet.Attributes;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Benchmarks;

/// <summary>
/// Cost of handing a new client an address (<see cref="LeaseManager.OfferAsync"/> then
/// <see cref="LeaseManager.CommitAsync"/>, what a DISCOVER/REQUEST pair does to the lease state:
/// pick from the free list, claim in the store — the in-memory store here, so no I/O) in
/// one pool per subnet, /24 (254 usable addresses), /16 (65,534) and /12 (1,048,574), each
/// 95 % in use. The free list is O(1) and the expiry heap O(log n), so the cost per new client
/// should stay flat as the pool grows.
/// </summary>
/// <remarks>
/// A /24 at 95 % has only 12 free addresses, so every measured iteration starts from the same
/// state: <see cref="GlobalSetup"/> fills 95 % of the pool with Offer+Commit once and keeps the
/// records; <see cref="IterationSetup"/> (not measured) rebuilds the store, the pool and the
/// lease manager from them, as the server does at start-up; the iteration then serves
/// <see cref="NewClientsPerIteration"/> clients that were never seen before. Time is fixed
/// (a constant clock), so no lease expires during the run.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(NewClientsPerIteration, 1)]
[IterationCount(50)]
[WarmupCount(5)]
public class AllocationBenchmarks
{
    /// <summary>At most the free addresses of a 95 %-used /24 (254 - 241 = 13).</summary>
    public const int NewClientsPerIteration = 12;

    private static readonly IReadOnlyList<string> NoClasses = [];
    private static readonly TimeSpan LeaseTime = TimeSpan.FromHours(1);

    private DhcpServerOptions _options = null!;
    private FixedClock _clock = null!;
    private IReadOnlyList<LeaseRecord> _prefilled = [];
    private ClientIdentity[] _newClients = [];
    private LeaseManager _manager = null!;
    private ServedLink _link = null!;
    private int _next;

    [Params(24, 16, 12)]
    public int PrefixLength { get; set; }

    /// <summary>Addresses in the pool (network and broadcast excluded).</summary>
    public int PoolSize => (1 << (32 - PrefixLength)) - 2;

    [GlobalSetup]
    public void GlobalSetup()
    {
        var network = new IPv4Network(IPv4Address.Parse("10.240.0.0"), PrefixLength);
        _options = new DhcpServerOptions
        {
            Subnets =
            [
                new SubnetOptions
                {
                    Network = network,
                    Pools = [new PoolOptions { First = new IPv4Address(network.Network.Value + 1), Last = new IPv4Address(network.Broadcast.Value - 1) }],
                },
            ],
        };
        _clock = new FixedClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var plan = new AddressPlan(_options);
        var store = new MemoryLeaseStore();
        var manager = new LeaseManager(plan, _options, _clock, store);
        var link = plan.Links[0];
        int used = (int)(PoolSize * 0.95);
        for (int i = 0; i < used; i++)
        {
            var client = Client(i);
            var offer = Wait(manager.OfferAsync(client, link, NoClasses, null, null, null));
            var commit = Wait(manager.CommitAsync(client, link, NoClasses, null, offer.Lease!.Address, LeaseTime, null));
            if (commit.Outcome != LeaseOutcome.Granted)
            {
                throw new InvalidOperationException($"prefill: {commit.Reason}");
            }
        }

        _prefilled = Wait(store.ListAsync(CancellationToken.None));
        _newClients = [.. Enumerable.Range(0, NewClientsPerIteration).Select(i => Client(0x00F0_0000 + i))];
        if (plan.Links[0].Pools.Sum(p => p.Addresses.FreeCount) < NewClientsPerIteration)
        {
            throw new InvalidOperationException("not enough free addresses for one iteration");
        }
    }

    [IterationSetup]
    public void IterationSetup()
    {
        var plan = new AddressPlan(_options);
        var store = new MemoryLeaseStore();
        foreach (var lease in _prefilled)
        {
            Wait(store.WriteAsync(lease, LeaseCondition.Always, _clock.GetUtcNow(), CancellationToken.None));
        }

        _manager = new LeaseManager(plan, _options, _clock, store);
        _manager.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
        _link = plan.Links[0];
        _next = 0;
    }

    /// <summary>A never-seen client gets an OFFER and then its ACK'ed lease.</summary>
    [Benchmark]
    public LeaseDecision OfferAndCommitNewClient()
    {
        var client = _newClients[_next++];
        var offer = Wait(_manager.OfferAsync(client, _link, NoClasses, null, null, null));
        return Wait(_manager.CommitAsync(client, _link, NoClasses, null, offer.Lease!.Address, LeaseTime, null));
    }

    /// <summary>The in-memory store completes at once; a real wait would be a bug in the benchmark.</summary>
    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("the in-memory store did not complete synchronously");

    private static ClientIdentity Client(int index)
    {
        byte[] mac = [0x02, 0x00, (byte)(index >> 24), (byte)(index >> 16), (byte)(index >> 8), (byte)index];
        return new ClientIdentity("hw:1:" + Convert.ToHexStringLower(mac), 1, mac, null);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override string ToString() => now.ToString("O", CultureInfo.InvariantCulture);
    }
}
