using DhcpSharp.Protocol;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Tests;

/// <summary>A reload swaps the configuration in one step: leases, offers and subscribers carry over, no request allocates from the old plan.</summary>
public class ReconfigureTests
{
    [Fact]
    public async Task Leases_and_event_subscribers_survive_a_reconfiguration_and_the_new_pool_is_used()
    {
        var harness = new EngineHarness();
        var bound = new List<IPv4Address>();
        harness.Engine.Events.Bound += (_, e) => bound.Add(e.Lease.Address);
        var first = await harness.ObtainAsync(EngineHarness.Mac(1));
        Assert.StartsWith("192.0.2.1", first.YourAddress.ToString(), StringComparison.Ordinal);

        // The pool grows and moves its start; the existing lease is inside it.
        harness.Engine.Reconfigure(EngineHarness.DefaultOptions("192.0.2.50", "192.0.2.199") with { LeaseTime = TimeSpan.FromMinutes(30) });

        var renewed = await harness.RenewAsync(EngineHarness.Mac(1), first.YourAddress);
        Assert.NotNull(renewed);
        Assert.Equal(DhcpMessageType.Ack, renewed.Reply.MessageType);
        Assert.Equal(first.YourAddress, renewed.Reply.YourAddress);
        Assert.Equal(1800u, renewed.Reply.Options.GetOrDefault(Protocol.Options.DhcpOptions.LeaseTime, 0u));

        var second = await harness.ObtainAsync(EngineHarness.Mac(2));
        Assert.NotEqual(first.YourAddress, second.YourAddress);
        Assert.True(second.YourAddress >= IPv4Address.Parse("192.0.2.50"));
        Assert.Equal([first.YourAddress, second.YourAddress], bound); // the subscriber from before the reload still hears
    }

    [Fact]
    public async Task An_address_held_before_the_reload_is_not_handed_to_anyone_else_after_it()
    {
        var harness = new EngineHarness(EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.101"));
        var first = await harness.ObtainAsync(EngineHarness.Mac(1));
        var offer = await harness.DiscoverAsync(EngineHarness.Mac(2));
        Assert.NotNull(offer);

        harness.Engine.Reconfigure(EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.101"));

        // Both addresses are taken (one bound, one offered): a third client finds nothing.
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(3)));
        var ack = await harness.SelectAsync(EngineHarness.Mac(2), offer.Reply.YourAddress);
        Assert.Equal(DhcpMessageType.Ack, ack!.Reply.MessageType);
        Assert.NotEqual(first.YourAddress, ack.Reply.YourAddress);
    }

    [Fact]
    public async Task A_request_placed_under_the_old_plan_cannot_allocate_from_it()
    {
        var harness = new EngineHarness();
        var oldLink = harness.Engine.Scope.Plan.Links[0];
        var client = new ClientIdentity("hw:1:525400000001", 1, EngineHarness.Mac(1), null);

        harness.Engine.Reconfigure(EngineHarness.DefaultOptions());

        Assert.Equal(LeaseOutcome.Stale, (await harness.Engine.Leases.OfferAsync(client, oldLink, [], null, null, null)).Outcome);
        Assert.Equal(LeaseOutcome.Stale, (await harness.Engine.Leases.CommitAsync(client, oldLink, [], null, IPv4Address.Parse("192.0.2.100"), TimeSpan.FromHours(1), null)).Outcome);
        var newLink = harness.Engine.Scope.Plan.Links[0];
        Assert.Equal(LeaseOutcome.Granted, (await harness.Engine.Leases.OfferAsync(client, newLink, [], null, null, null)).Outcome);
    }

    [Fact]
    public async Task A_reservation_added_by_a_reload_is_honoured_for_its_client()
    {
        var harness = new EngineHarness();
        var reserved = IPv4Address.Parse("192.0.2.150");
        var options = EngineHarness.DefaultOptions();
        var subnet = options.Subnets[0] with { Reservations = [new ReservationOptions { HardwareAddress = EngineHarness.Mac(9), Address = reserved }] };
        harness.Engine.Reconfigure(options with { Subnets = [subnet] });

        var ack = await harness.ObtainAsync(EngineHarness.Mac(9));
        Assert.Equal(reserved, ack.YourAddress);
    }
}
