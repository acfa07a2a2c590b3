using DhcpSharp.Client.Tests.Fakes;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Client.Tests;

/// <summary>The RFC 2131 life cycle against the real server engine, on a fake clock.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Offers_are_collected_for_the_window_and_the_selector_chooses_one()
    {
        IReadOnlyList<DhcpOffer>? seen = null;
        await using var harness = new ClientHarness(o => o with
        {
            OfferCollectionWindow = TimeSpan.FromSeconds(2),
            OfferSelector = offers =>
            {
                seen = [.. offers];
                return offers.Single(offer => offer.ServerIdentifier == ClientHarness.Server2);
            },
        });
        var second = harness.Network.AddServer("192.0.2.2", "192.0.2.150", "192.0.2.199");
        var start = harness.Now;

        var lease = await harness.StartAndBindAsync();

        Assert.NotNull(seen);
        Assert.Equal([ClientHarness.Server1, ClientHarness.Server2], seen.Select(o => o.ServerIdentifier));
        var request = Assert.Single(harness.SentOf(DhcpMessageType.Request));
        Assert.Equal(start + TimeSpan.FromSeconds(2), request.Time);
        Assert.Equal(ClientHarness.Server2, request.Message.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
        Assert.Equal(ClientHarness.Server2, lease.ServerIdentifier);
        Assert.InRange(lease.Address.Value, IPv4Address.Parse("192.0.2.150").Value, IPv4Address.Parse("192.0.2.199").Value);
        // The server that was not chosen saw the REQUEST naming the other and let its offer go.
        Assert.Equal(LeaseState.Expired, (await harness.Network.Servers[0].Engine.Leases.FindByClientAsync("hw:1:" + Convert.ToHexStringLower(ClientHarness.Mac)))?.State);
        Assert.Equal(LeaseState.Bound, (await second.Engine.Leases.FindByAddressAsync(lease.Address))?.State);
    }

    [Fact]
    public async Task Default_selection_takes_the_first_offer()
    {
        await using var harness = new ClientHarness();
        harness.Network.AddServer("192.0.2.2", "192.0.2.150", "192.0.2.199");
        var lease = await harness.StartAndBindAsync();
        Assert.Equal(ClientHarness.Server1, lease.ServerIdentifier);
    }

    [Fact]
    public async Task Request_carries_the_offered_address_and_server_identifier_with_the_discover_xid()
    {
        await using var harness = new ClientHarness();
        var lease = await harness.StartAndBindAsync();

        var discover = Assert.Single(harness.SentOf(DhcpMessageType.Discover));
        var request = Assert.Single(harness.SentOf(DhcpMessageType.Request));
        Assert.True(discover.IsBroadcast);
        Assert.True(request.IsBroadcast);
        Assert.Equal(discover.Message.TransactionId, request.Message.TransactionId);
        Assert.Equal(lease.Address, request.Message.Options.GetOrDefault(DhcpOptions.RequestedAddress, default));
        Assert.Equal(ClientHarness.Server1, request.Message.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
        Assert.True(request.Message.ClientAddress.IsAny);
        Assert.True(request.Message.IsBroadcast, "the BROADCAST flag: replies must reach a client without an address");

        var bound = Assert.Single(harness.Changes);
        Assert.Equal(DhcpLeaseChangeKind.Bound, bound.Kind);
        Assert.Equal(request.Time, lease.ObtainedAt);
        Assert.Equal(TimeSpan.FromHours(1), lease.LeaseTime);
        Assert.Equal(TimeSpan.FromMinutes(30), lease.RenewalTime);
        Assert.Equal(TimeSpan.FromSeconds(3150), lease.RebindingTime);
        Assert.Equal(IPv4Address.Parse("255.255.255.0"), lease.SubnetMask);
        Assert.Equal(24, lease.PrefixLength);
        Assert.Equal([ClientHarness.Server1], lease.Routers);
        Assert.Equal([IPv4Address.Parse("192.0.2.53")], lease.DnsServers);
        Assert.Equal("example.test", lease.DomainName);
        Assert.True(lease.TryGetOption(DhcpOptions.DomainNameServers, out var dns) && dns.Count == 1);
    }

    [Fact]
    public async Task Renewal_at_T1_is_unicast_to_the_server_with_ciaddr_and_a_new_xid()
    {
        await using var harness = new ClientHarness();
        var lease = await harness.StartAndBindAsync();

        await harness.RunUntilAsync(() => harness.Changes.Count == 2, TimeSpan.FromHours(1));

        var request = harness.SentOf(DhcpMessageType.Request)[^1];
        Assert.Equal(lease.RenewAt, request.Time);
        Assert.False(request.IsBroadcast);
        Assert.Equal(ClientHarness.Server1.ToIPAddress(), request.Destination.Address);
        Assert.Equal(lease.Address, request.Message.ClientAddress);
        Assert.False(request.Message.Options.Contains(DhcpOptionCode.RequestedAddress));
        Assert.False(request.Message.Options.Contains(DhcpOptionCode.ServerIdentifier));
        Assert.NotEqual(harness.SentOf(DhcpMessageType.Request)[0].Message.TransactionId, request.Message.TransactionId);

        var renewed = harness.Changes[^1];
        Assert.Equal(DhcpLeaseChangeKind.Renewed, renewed.Kind);
        Assert.Equal(lease.Address, renewed.Lease!.Address);
        Assert.Equal(request.Time, renewed.Lease.ObtainedAt);
        Assert.Equal(lease, renewed.PreviousLease);
        Assert.Equal(DhcpClientState.Bound, harness.Client.State);
    }

    [Fact]
    public async Task Rebinding_at_T2_is_broadcast_when_the_server_ignores_renewals()
    {
        await using var harness = new ClientHarness();
        var server = harness.Network.Servers[0];
        var lease = await harness.StartAndBindAsync();
        server.Answers = sent => sent.IsBroadcast;

        await harness.RunUntilAsync(() => harness.Changes.Count == 2, TimeSpan.FromHours(1));

        var extensions = harness.SentOf(DhcpMessageType.Request).Skip(1).ToList();
        var renewals = extensions.TakeWhile(s => !s.IsBroadcast).ToList();
        var rebind = extensions[renewals.Count];
        Assert.Equal(lease.RenewAt, renewals[0].Time);
        Assert.All(renewals, r => Assert.Equal(ClientHarness.Server1.ToIPAddress(), r.Destination.Address));
        // RFC 2131 §4.4.5: each wait is half the time left until T2, but at least 60 s.
        for (int i = 1; i < renewals.Count; i++)
        {
            var left = lease.RebindAt - renewals[i - 1].Time;
            var expected = left / 2 > TimeSpan.FromSeconds(60) ? left / 2 : TimeSpan.FromSeconds(60);
            Assert.Equal(expected < left ? expected : left, renewals[i].Time - renewals[i - 1].Time);
        }

        Assert.True(renewals.Count >= 4, $"only {renewals.Count} renewals before T2");
        Assert.Equal(lease.RebindAt, rebind.Time);
        Assert.True(rebind.IsBroadcast);
        Assert.Equal(lease.Address, rebind.Message.ClientAddress);
        Assert.Equal(DhcpLeaseChangeKind.Rebound, harness.Changes[^1].Kind);
        Assert.Equal(rebind.Time + TimeSpan.FromHours(1), harness.Client.Lease!.ExpiresAt);
    }

    [Fact]
    public async Task Expiry_without_answers_loses_the_address_and_discovers_again_asking_for_it()
    {
        await using var harness = new ClientHarness();
        var server = harness.Network.Servers[0];
        var lease = await harness.StartAndBindAsync();
        server.Answers = _ => false;

        await harness.RunUntilAsync(() => harness.Changes.Count == 2, TimeSpan.FromHours(2));

        var expired = harness.Changes[^1];
        Assert.Equal(DhcpLeaseChangeKind.Expired, expired.Kind);
        Assert.Equal(lease.ExpiresAt, expired.Time);
        Assert.Equal(lease.Address, expired.Lease!.Address);
        Assert.True(expired.LosesAddress);
        Assert.Null(harness.Client.Lease);
        Assert.Equal(DhcpClientState.Selecting, harness.Client.State);
        var rebinds = harness.SentOf(DhcpMessageType.Request).Where(r => r.IsBroadcast && !r.Message.ClientAddress.IsAny).ToList();
        Assert.NotEmpty(rebinds);
        Assert.All(rebinds, r => Assert.InRange(r.Time, lease.RebindAt, lease.ExpiresAt));
        var discover = harness.SentOf(DhcpMessageType.Discover)[^1];
        Assert.Equal(lease.ExpiresAt, discover.Time);
        Assert.Equal(lease.Address, discover.Message.Options.GetOrDefault(DhcpOptions.RequestedAddress, default));

        // The server is back: the client gets a lease again.
        server.Answers = _ => true;
        await harness.RunUntilAsync(() => harness.Client.State == DhcpClientState.Bound, TimeSpan.FromMinutes(5));
        Assert.Equal(lease.Address, harness.Client.Lease!.Address);
    }

    [Fact]
    public async Task Retransmissions_wait_4_8_16_32_64_seconds_within_one_second()
    {
        await using var harness = new ClientHarness(addServer: false);
        await harness.Client.StartAsync();
        await harness.RunUntilAsync(() => harness.Sent.Count == 8, TimeSpan.FromMinutes(10));

        var discovers = harness.SentOf(DhcpMessageType.Discover);
        Assert.Equal(8, discovers.Count);
        Assert.Single(discovers.Select(d => d.Message.TransactionId).Distinct());
        double[] nominal = [4, 8, 16, 32, 64, 64, 64];
        for (int i = 1; i < discovers.Count; i++)
        {
            double waited = (discovers[i].Time - discovers[i - 1].Time).TotalSeconds;
            Assert.InRange(waited, nominal[i - 1] - 1, nominal[i - 1] + 1);
            // secs counts from the first DISCOVER.
            Assert.Equal((ushort)(discovers[i].Time - discovers[0].Time).TotalSeconds, discovers[i].Message.Seconds);
        }

        // The ±1 s is random, not a fixed offset.
        Assert.True(discovers.Zip(discovers.Skip(1), (a, b) => b.Time - a.Time).Select(w => w.Ticks % TimeSpan.TicksPerSecond).Distinct().Count() > 1);
    }

    [Fact]
    public async Task An_unanswered_request_is_retransmitted_on_the_same_schedule_then_the_client_starts_over()
    {
        await using var harness = new ClientHarness();
        harness.Network.Servers[0].Answers = sent => sent.Type == DhcpMessageType.Discover;
        await harness.Client.StartAsync();
        await harness.RunUntilAsync(() => harness.SentOf(DhcpMessageType.Discover).Count == 2, TimeSpan.FromMinutes(5));

        var requests = harness.SentOf(DhcpMessageType.Request);
        Assert.Equal(5, requests.Count);
        double[] nominal = [4, 8, 16, 32];
        for (int i = 1; i < requests.Count; i++)
        {
            Assert.InRange((requests[i].Time - requests[i - 1].Time).TotalSeconds, nominal[i - 1] - 1, nominal[i - 1] + 1);
        }

        var restart = harness.SentOf(DhcpMessageType.Discover)[1];
        Assert.InRange((restart.Time - requests[^1].Time).TotalSeconds, 63, 65);
        Assert.NotEqual(requests[0].Message.TransactionId, restart.Message.TransactionId);
    }

    [Fact]
    public async Task Replies_with_another_xid_chaddr_or_client_identifier_are_ignored()
    {
        await using var harness = new ClientHarness(addServer: false);
        var address = IPv4Address.Parse("192.0.2.120");
        var wrong = true;
        harness.Network.Intercept = sent =>
        {
            if (sent.Type == DhcpMessageType.Discover && wrong)
            {
                return
                [
                    ClientHarness.ReplyTo(sent, DhcpMessageType.Offer, address, ClientHarness.Server1, r => r.TransactionId ^= 1),
                    ClientHarness.ReplyTo(sent, DhcpMessageType.Offer, address, ClientHarness.Server1, r => r.ClientHardwareAddress = [0x52, 0x54, 0x00, 0x12, 0x34, 0x57]),
                    ClientHarness.ReplyTo(sent, DhcpMessageType.Offer, address, ClientHarness.Server1, r => r.Options.SetRaw(DhcpOptionCode.ClientIdentifier, [1, 2, 3, 4, 5, 6, 7])),
                    ClientHarness.ReplyTo(sent, DhcpMessageType.Ack, address, ClientHarness.Server1),
                ];
            }

            return sent.Type switch
            {
                DhcpMessageType.Discover => [ClientHarness.ReplyTo(sent, DhcpMessageType.Offer, address, ClientHarness.Server1)],
                DhcpMessageType.Request => [ClientHarness.ReplyTo(sent, DhcpMessageType.Ack, address, ClientHarness.Server1)],
                _ => [],
            };
        };
        await harness.Client.StartAsync();
        await harness.WaitIdleAsync();
        Assert.Equal(4, harness.Client.DatagramsSeen);
        Assert.Equal(DhcpClientState.Selecting, harness.Client.State);
        Assert.Empty(harness.SentOf(DhcpMessageType.Request));

        wrong = false;
        await harness.RunUntilAsync(() => harness.Client.State == DhcpClientState.Bound, TimeSpan.FromMinutes(1));
        Assert.Equal(address, harness.Client.Lease!.Address);
        Assert.Equal(2, harness.SentOf(DhcpMessageType.Discover).Count);
    }

    [Fact]
    public async Task Nak_in_init_reboot_loses_the_address_and_discovers_after_the_pause()
    {
        var elsewhere = IPv4Address.Parse("10.9.9.9");
        await using var harness = new ClientHarness(o => o with { PreviousAddress = elsewhere });
        await harness.Client.StartAsync();
        await harness.RunUntilAsync(() => harness.SentOf(DhcpMessageType.Discover).Count == 1, TimeSpan.FromMinutes(1));

        var request = Assert.Single(harness.SentOf(DhcpMessageType.Request));
        Assert.Equal(elsewhere, request.Message.Options.GetOrDefault(DhcpOptions.RequestedAddress, default));
        var nak = Assert.Single(harness.Changes);
        Assert.Equal(DhcpLeaseChangeKind.Nak, nak.Kind);
        Assert.NotNull(nak.Message);
        var discover = harness.SentOf(DhcpMessageType.Discover)[0];
        Assert.Equal(request.Time + TimeSpan.FromSeconds(3), discover.Time);
        Assert.False(discover.Message.Options.Contains(DhcpOptionCode.RequestedAddress), "a NAKed address is not asked for again");

        await harness.RunUntilAsync(() => harness.Client.State == DhcpClientState.Bound, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Nak_while_renewing_loses_the_lease()
    {
        await using var harness = new ClientHarness();
        var lease = await harness.StartAndBindAsync();
        harness.Network.Intercept = sent => sent.Type == DhcpMessageType.Request && !sent.Message.ClientAddress.IsAny
            ? [ClientHarness.ReplyTo(sent, DhcpMessageType.Nak, IPv4Address.Any, ClientHarness.Server1, r => r.Options.Set(DhcpOptions.Message, "moved"))]
            : null;

        await harness.RunUntilAsync(() => harness.Changes.Count == 2, TimeSpan.FromHours(1));

        var nak = harness.Changes[^1];
        Assert.Equal(DhcpLeaseChangeKind.Nak, nak.Kind);
        Assert.Equal(lease, nak.Lease);
        Assert.Equal("moved", nak.Message);
        Assert.Equal(lease.RenewAt, nak.Time);
        Assert.Null(harness.Client.Lease);
        Assert.Equal(DhcpClientState.Init, harness.Client.State);
    }

    [Fact]
    public async Task Init_reboot_gets_the_remembered_address_back_without_discovering()
    {
        IPv4Address address;
        await using (var first = new ClientHarness())
        {
            address = (await first.StartAndBindAsync()).Address;

            // The same machine after a reboot: same server (with its lease), new client that remembers.
            await using var rebooted = new ClientHarness(o => o with { PreviousAddress = address }, addServer: false);
            rebooted.Network.Servers.Add(first.Network.Servers[0]);
            await rebooted.StartAndBindAsync();

            var request = Assert.Single(rebooted.Sent);
            Assert.Equal(DhcpMessageType.Request, request.Type);
            Assert.True(request.IsBroadcast);
            Assert.Equal(address, request.Message.Options.GetOrDefault(DhcpOptions.RequestedAddress, default));
            Assert.False(request.Message.Options.Contains(DhcpOptionCode.ServerIdentifier));
            Assert.True(request.Message.ClientAddress.IsAny);
            Assert.Equal(address, rebooted.Client.Lease!.Address);
            Assert.Equal(DhcpLeaseChangeKind.Bound, Assert.Single(rebooted.Changes).Kind);
        }
    }

    [Fact]
    public async Task Init_reboot_falls_back_to_discovery_when_no_server_answers()
    {
        var remembered = IPv4Address.Parse("192.0.2.140");
        await using var harness = new ClientHarness(o => o with { PreviousAddress = remembered });
        harness.Network.Servers[0].Answers = sent => sent.Type == DhcpMessageType.Discover || !sent.Message.Options.Contains(DhcpOptionCode.RequestedAddress) || sent.Message.Options.Contains(DhcpOptionCode.ServerIdentifier);
        await harness.Client.StartAsync();
        await harness.RunUntilAsync(() => harness.Client.State == DhcpClientState.Bound, TimeSpan.FromMinutes(1));

        var reboots = harness.Sent.TakeWhile(s => s.Type == DhcpMessageType.Request).ToList();
        Assert.Equal(2, reboots.Count); // at 0 and about 4 s; the next (about 12 s) is past the 10 s limit
        var discover = harness.SentOf(DhcpMessageType.Discover)[0];
        Assert.Equal(reboots[0].Time + TimeSpan.FromSeconds(10), discover.Time);
        Assert.Equal(remembered, discover.Message.Options.GetOrDefault(DhcpOptions.RequestedAddress, default));
        Assert.Equal(remembered, harness.Client.Lease!.Address);
    }

    [Fact]
    public async Task Release_is_unicast_to_the_server_which_frees_the_address()
    {
        await using var harness = new ClientHarness();
        var lease = await harness.StartAndBindAsync();

        await harness.Client.ReleaseAsync("shutting down");

        var release = harness.Sent[^1];
        Assert.Equal(DhcpMessageType.Release, release.Type);
        Assert.Equal(ClientHarness.Server1.ToIPAddress(), release.Destination.Address);
        Assert.Equal(lease.Address, release.Message.ClientAddress);
        Assert.Equal(ClientHarness.Server1, release.Message.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
        Assert.False(release.Message.Options.Contains(DhcpOptionCode.ParameterRequestList));
        Assert.Equal(LeaseState.Released, (await harness.Network.Servers[0].Engine.Leases.FindByAddressAsync(lease.Address))?.State);
        var released = harness.Changes[^1];
        Assert.Equal(DhcpLeaseChangeKind.Released, released.Kind);
        Assert.Equal(lease, released.Lease);
        Assert.Equal(DhcpClientState.Stopped, harness.Client.State);
        Assert.Null(harness.Client.Lease);

        // Stopped means silent, however long.
        int sent = harness.Sent.Count;
        await harness.AdvanceAsync(TimeSpan.FromHours(3));
        Assert.Equal(sent, harness.Sent.Count);
    }

    [Fact]
    public async Task Decline_reports_the_address_and_discovers_again_after_ten_seconds()
    {
        await using var harness = new ClientHarness();
        var lease = await harness.StartAndBindAsync();

        await harness.Client.DeclineAsync("ARP probe answered");

        var decline = harness.Sent[^1];
        Assert.Equal(DhcpMessageType.Decline, decline.Type);
        Assert.True(decline.IsBroadcast);
        Assert.Equal(lease.Address, decline.Message.Options.GetOrDefault(DhcpOptions.RequestedAddress, default));
        Assert.Equal(ClientHarness.Server1, decline.Message.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
        Assert.True(decline.Message.ClientAddress.IsAny);
        Assert.Equal(LeaseState.Declined, (await harness.Network.Servers[0].Engine.Leases.FindByAddressAsync(lease.Address))?.State);
        Assert.Equal(DhcpLeaseChangeKind.Declined, harness.Changes[^1].Kind);
        Assert.Equal(DhcpClientState.Init, harness.Client.State);

        await harness.RunUntilAsync(() => harness.Client.State == DhcpClientState.Bound, TimeSpan.FromMinutes(1));
        var discover = harness.SentOf(DhcpMessageType.Discover)[^1];
        Assert.Equal(decline.Time + TimeSpan.FromSeconds(10), discover.Time);
        Assert.NotEqual(lease.Address, harness.Client.Lease!.Address);
    }

    [Fact]
    public async Task Decline_without_a_lease_is_refused()
    {
        await using var harness = new ClientHarness(addServer: false);
        await harness.Client.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Client.DeclineAsync());
        Assert.Equal(DhcpClientState.Selecting, harness.Client.State);
    }

    [Fact]
    public async Task Renew_now_renews_before_T1()
    {
        await using var harness = new ClientHarness();
        var lease = await harness.StartAndBindAsync();
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));

        await harness.Client.RenewNowAsync();
        await harness.WaitIdleAsync();

        var renewal = harness.Sent[^1];
        Assert.Equal(lease.ObtainedAt + TimeSpan.FromMinutes(5), renewal.Time);
        Assert.Equal(ClientHarness.Server1.ToIPAddress(), renewal.Destination.Address);
        Assert.Equal(DhcpLeaseChangeKind.Renewed, harness.Changes[^1].Kind);
        Assert.Equal(renewal.Time + TimeSpan.FromMinutes(30), harness.Client.Lease!.RenewAt);
    }

    [Fact]
    public async Task Inform_returns_the_configuration_for_an_address_set_up_elsewhere()
    {
        await using var harness = new ClientHarness();
        var address = IPv4Address.Parse("192.0.2.77");

        var configuration = await harness.Client.InformAsync(address);

        var inform = Assert.Single(harness.Sent);
        Assert.Equal(DhcpMessageType.Inform, inform.Type);
        Assert.Equal(address, inform.Message.ClientAddress);
        Assert.False(inform.Message.Options.Contains(DhcpOptionCode.RequestedAddress));
        Assert.Equal(ClientHarness.Server1, configuration.ServerIdentifier);
        Assert.Equal([ClientHarness.Server1], configuration.Routers);
        Assert.Equal([IPv4Address.Parse("192.0.2.53")], configuration.DnsServers);
        Assert.Empty(harness.Changes);
        Assert.Equal(DhcpClientState.Stopped, harness.Client.State);
    }

    [Fact]
    public async Task Inform_gives_up_after_its_transmissions()
    {
        await using var harness = new ClientHarness(o => o with { RequestAttempts = 2 }, addServer: false);
        var inform = harness.Client.InformAsync(IPv4Address.Parse("192.0.2.77"));
        await harness.RunUntilAsync(() => inform.IsCompleted, TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<TimeoutException>(() => inform);
        Assert.Equal(2, harness.Sent.Count);
    }

    [Fact]
    public async Task Lease_changes_stream_to_every_reader_in_order()
    {
        await using var harness = new ClientHarness();
        var stream = harness.Client.LeaseChangesAsync();
        var reader = Task.Run(async () =>
        {
            var kinds = new List<DhcpLeaseChangeKind>();
            await foreach (var change in stream)
            {
                kinds.Add(change.Kind);
                if (change.Kind == DhcpLeaseChangeKind.Released)
                {
                    break;
                }
            }

            return kinds;
        });

        await harness.StartAndBindAsync();
        await harness.RunUntilAsync(() => harness.Changes.Count == 2, TimeSpan.FromHours(1));
        await harness.Client.ReleaseAsync();

        Assert.Equal([DhcpLeaseChangeKind.Bound, DhcpLeaseChangeKind.Renewed, DhcpLeaseChangeKind.Released], await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([DhcpLeaseChangeKind.Bound, DhcpLeaseChangeKind.Renewed, DhcpLeaseChangeKind.Released], harness.Changes.Select(c => c.Kind));
    }

    [Fact]
    public async Task WaitForLeaseAsync_returns_the_lease_once_bound()
    {
        await using var harness = new ClientHarness();
        var waiting = harness.Client.WaitForLeaseAsync();
        var lease = await harness.StartAndBindAsync();
        Assert.Equal(lease, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(lease, await harness.Client.WaitForLeaseAsync());
    }

    [Fact]
    public async Task Dispose_ends_streams_and_waits()
    {
        var harness = new ClientHarness(addServer: false);
        await harness.Client.StartAsync();
        var waiting = harness.Client.WaitForLeaseAsync();
        await harness.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Client.StartAsync());
    }
}
