using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Tests;

/// <summary>
/// Addresses that must never reach another client — reserved, excluded, the network and the
/// broadcast address — stay out of use however their stored leases end (offer time out,
/// release, expiry), for every store.
/// </summary>
public sealed class UnleasableAddressTests : IDisposable
{
    private static readonly IPv4Address Reserved = IPv4Address.Parse("192.0.2.100");
    private readonly TestStores _stores = new();

    public void Dispose() => _stores.Dispose();

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_reserved_address_is_never_handed_to_a_stranger_even_after_its_client_only_discovered(StoreKind kind)
    {
        // The defect as found: pool .100-.100 reserved for A; A sends only a DISCOVER; 60 s later
        // B completes DORA and was ACKed .100; A then got no offer.
        var options = EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.100");
        options = options with { Subnets = [options.Subnets[0] with { Reservations = [new ReservationOptions { HardwareAddress = EngineHarness.Mac(1), Address = Reserved }] }] };
        await using var store = await _stores.OpenAsync(kind);
        var harness = new EngineHarness(options, store: store);

        var offerToA = await harness.DiscoverAsync(EngineHarness.Mac(1));
        Assert.Equal(Reserved, offerToA?.Reply.YourAddress);

        harness.Clock.Advance(TimeSpan.FromSeconds(60));
        await harness.Engine.ReclaimExpiredAsync();
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(2)));
        var stolen = await harness.SelectAsync(EngineHarness.Mac(2), Reserved);
        Assert.Equal(DhcpMessageType.Nak, stolen?.Reply.MessageType);

        var ack = await harness.ObtainAsync(EngineHarness.Mac(1));
        Assert.Equal(Reserved, ack.YourAddress);

        // Released by A: still A's, never B's.
        await harness.SendAsync(harness.NewRequest(DhcpMessageType.Release, EngineHarness.Mac(1), m => m.ClientAddress = Reserved));
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(2)));
        Assert.Equal(Reserved, (await harness.ObtainAsync(EngineHarness.Mac(1))).YourAddress);
    }

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task Excluded_network_and_broadcast_addresses_in_stored_leases_never_return_to_the_pool(StoreKind kind)
    {
        // A /29 whose pool covers it all, excluding .3: only .1, .2, .4, .5, .6 are leasable. The
        // store holds leases (from an older configuration) on .0, .3 and .7.
        var options = EngineHarness.DefaultOptions() with
        {
            Subnets =
            [
                new SubnetOptions
                {
                    Network = IPv4Network.Parse("192.0.2.0/29"),
                    Pools = [new PoolOptions { First = IPv4Address.Parse("192.0.2.0"), Last = IPv4Address.Parse("192.0.2.7"), Exclusions = [new AddressRange(IPv4Address.Parse("192.0.2.3"), IPv4Address.Parse("192.0.2.3"))] }],
                },
            ],
        };
        var start = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var unleasable = new[] { "192.0.2.0", "192.0.2.3", "192.0.2.7" }.Select(IPv4Address.Parse).ToList();
        await using (var seeded = await _stores.OpenAsync(kind))
        {
            int n = 90;
            foreach (var address in unleasable)
            {
                var mac = EngineHarness.Mac(n++);
                var old = new LeaseRecord(address, "hw:1:" + Convert.ToHexStringLower(mac), 1, mac, null, null, LeaseState.Bound, start, start + TimeSpan.FromMinutes(1));
                Assert.True((await seeded.WriteAsync(old, LeaseCondition.Always, start, CancellationToken.None)).Written);
            }

            if (kind == StoreKind.Memory)
            {
                await RunAsync(seeded);
                return;
            }
        }

        await using var reopened = await _stores.OpenAsync(kind);
        await RunAsync(reopened);

        async Task RunAsync(ILeaseStore store)
        {
            var harness = new EngineHarness(options, store: store);
            var lease = Assert.Single(await store.ListAsync(CancellationToken.None), l => l.Address == unleasable[1]);
            Assert.Equal(LeaseState.Bound, lease.State);

            // One of the old holders releases; the others expire.
            var releaser = EngineHarness.Mac(90);
            await harness.SendAsync(harness.NewRequest(DhcpMessageType.Release, releaser, m => m.ClientAddress = unleasable[0]));
            harness.Clock.Advance(TimeSpan.FromMinutes(5));
            await harness.Engine.ReclaimExpiredAsync();

            var given = new List<IPv4Address>();
            for (int i = 0; i < 8; i++)
            {
                if (await harness.DiscoverAsync(EngineHarness.Mac(i + 1)) is { } offer)
                {
                    given.Add(offer.Reply.YourAddress);
                }
            }

            Assert.Equal(["192.0.2.1", "192.0.2.2", "192.0.2.4", "192.0.2.5", "192.0.2.6"], given.Select(a => a.ToString()).Order());
            foreach (var address in unleasable)
            {
                var refused = await harness.SelectAsync(EngineHarness.Mac(20), address);
                Assert.Equal(DhcpMessageType.Nak, refused?.Reply.MessageType);
            }
        }
    }
}
