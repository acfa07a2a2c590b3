using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Server.Tests;

/// <summary>Two servers on one store, one of them behind on what the other did.</summary>
public sealed class SharedStoreTests : IDisposable
{
    private readonly TestStores _stores = new();

    public void Dispose() => _stores.Dispose();

    [Theory]
    [InlineData(StoreKind.Memory)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_late_offer_from_another_server_never_turns_a_binding_back_into_an_offer(StoreKind kind)
    {
        // All three servers answer a client's DISCOVER; if one is slow, its claim arrives after the
        // chosen server bound the address. It must find the binding and leave it alone.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var options = EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.100");
        await using var first = await _stores.OpenAsync(kind);
        await using var second = kind == StoreKind.Memory ? first : await _stores.OpenAsync(kind);
        var planA = new AddressPlan(options);
        var planB = new AddressPlan(options);
        var a = new LeaseManager(planA, options, clock, first, "a");
        var b = new LeaseManager(planB, options, clock, second, "b");
        var client = new ClientIdentity("hw:1:525400000001", 1, EngineHarness.Mac(1), null);

        var offer = await a.OfferAsync(client, planA.Links[0], [], null, null, null);
        var bound = await a.CommitAsync(client, planA.Links[0], [], null, offer.Lease!.Address, TimeSpan.FromHours(1), null);
        Assert.Equal(LeaseState.Bound, bound.Lease!.State);

        var late = await b.OfferAsync(client, planB.Links[0], [], null, null, null);
        Assert.Equal(LeaseOutcome.Granted, late.Outcome);
        Assert.Equal(LeaseState.Bound, late.Lease!.State);
        Assert.Equal(bound.Lease.Address, late.Lease.Address);
        var row = Assert.Single(await first.ListAsync(CancellationToken.None));
        Assert.Equal(LeaseState.Bound, row.State);
        Assert.Equal("a", row.Server);

        // The server not chosen sees the REQUEST naming the other and withdraws: not the binding.
        await b.WithdrawAsync(client);
        Assert.Equal(LeaseState.Bound, Assert.Single(await first.ListAsync(CancellationToken.None)).State);
    }
}
