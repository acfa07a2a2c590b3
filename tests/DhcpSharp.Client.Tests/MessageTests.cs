using DhcpSharp.Client.StateMachine;
using DhcpSharp.Client.Tests.Fakes;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Client.Tests;

/// <summary>What the client puts in its messages (RFC 2131 table 5) and how it reads replies.</summary>
public sealed class MessageTests
{
    private static readonly byte[] Mac = ClientHarness.Mac;

    [Fact]
    public void Discover_carries_the_rfc_client_identifier_and_the_default_parameter_list()
    {
        var factory = new ClientMessageFactory(new DhcpClientOptions { HardwareAddress = Mac });
        var discover = DhcpMessage.Parse(factory.Discover(0x12345678, 3, null).ToArray());

        Assert.Equal(BootOperation.Request, discover.Operation);
        Assert.Equal(DhcpMessageType.Discover, discover.MessageType);
        Assert.Equal(0x12345678u, discover.TransactionId);
        Assert.Equal(3, discover.Seconds);
        Assert.Equal(Mac, discover.ClientHardwareAddress.ToArray());
        Assert.True(discover.IsBroadcast);
        Assert.True(discover.ClientAddress.IsAny);
        Assert.Equal([1, .. Mac], discover.Options.GetRaw(DhcpOptionCode.ClientIdentifier));
        Assert.Equal([1, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59], discover.Options.GetOrDefault(DhcpOptions.ParameterRequestList, []));
        Assert.Equal((ushort)1500, discover.Options.GetOrDefault(DhcpOptions.MaximumMessageSize, (ushort)0));
        Assert.False(discover.Options.Contains(DhcpOptionCode.RequestedAddress));
        Assert.False(discover.Options.Contains(DhcpOptionCode.ServerIdentifier));
    }

    [Fact]
    public void Names_classes_and_a_custom_identity_are_sent_where_table_5_allows_them()
    {
        var options = new DhcpClientOptions
        {
            HardwareAddress = Mac,
            ClientIdentifier = new ClientIdentifier(0, "my-box"u8.ToArray()),
            ParameterRequestList = [1, 3, 121],
            HostName = "my-box",
            Fqdn = new ClientFqdn(ClientFqdnFlags.ServerUpdate | ClientFqdnFlags.CanonicalEncoding, 0, 0, "my-box.example.test"),
            VendorClass = "DhcpSharp 1.0",
            UserClass = UserClass.Rfc3004("lab"),
            AdditionalOptions = [new DhcpOption(224, [1, 2, 3])],
            RequestBroadcastReplies = false,
        };
        var factory = new ClientMessageFactory(options);
        var offer = new DhcpOffer(IPv4Address.Parse("192.0.2.100"), ClientHarness.Server1, null, default, new DhcpConfiguration { ServerIdentifier = ClientHarness.Server1 });

        foreach (var message in new[] { factory.Discover(1, 0, null), factory.SelectingRequest(1, 0, offer), factory.RenewRequest(2, 0, offer.Address), factory.Inform(3, 0, offer.Address) })
        {
            var parsed = DhcpMessage.Parse(message.ToArray());
            Assert.False(parsed.IsBroadcast);
            Assert.Equal([0, .. "my-box"u8.ToArray()], parsed.Options.GetRaw(DhcpOptionCode.ClientIdentifier));
            Assert.Equal([1, 3, 121], parsed.Options.GetOrDefault(DhcpOptions.ParameterRequestList, []));
            Assert.Equal("my-box", parsed.Options.GetOrDefault(DhcpOptions.HostName, ""));
            Assert.Equal("my-box.example.test", parsed.Options.GetOrDefault(DhcpOptions.ClientFqdn, null!).DomainName);
            Assert.Equal("DhcpSharp 1.0", parsed.Options.GetOrDefault(DhcpOptions.VendorClassIdentifier, ""));
            Assert.True(parsed.Options.GetOrDefault(DhcpOptions.UserClass, null!).Contains("lab"));
            Assert.Equal([1, 2, 3], parsed.Options.GetRaw(224));
        }

        // DECLINE and RELEASE carry none of the configuration options (table 5: MUST NOT).
        foreach (var message in new[] { factory.Decline(4, offer.Address, ClientHarness.Server1, "in use"), factory.Release(5, offer.Address, ClientHarness.Server1, null) })
        {
            var parsed = DhcpMessage.Parse(message.ToArray());
            Assert.Equal([0, .. "my-box"u8.ToArray()], parsed.Options.GetRaw(DhcpOptionCode.ClientIdentifier));
            foreach (var code in new byte[] { 55, 57, 12, 81, 60, 77, 224 })
            {
                Assert.False(parsed.Options.Contains(code), $"option {code} in {parsed.MessageType}");
            }

            Assert.Equal(ClientHarness.Server1, parsed.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
            Assert.Equal(0, parsed.Seconds);
        }
    }

    [Fact]
    public void Decline_names_the_address_in_option_50_and_release_in_ciaddr()
    {
        var factory = new ClientMessageFactory(new DhcpClientOptions { HardwareAddress = Mac, SendClientIdentifier = false });
        var address = IPv4Address.Parse("192.0.2.100");
        var decline = DhcpMessage.Parse(factory.Decline(1, address, ClientHarness.Server1, "in use").ToArray());
        var release = DhcpMessage.Parse(factory.Release(2, address, ClientHarness.Server1, null).ToArray());

        Assert.True(decline.ClientAddress.IsAny);
        Assert.Equal(address, decline.Options.GetOrDefault(DhcpOptions.RequestedAddress, default));
        Assert.Equal("in use", decline.Options.GetOrDefault(DhcpOptions.Message, ""));
        Assert.Equal(address, release.ClientAddress);
        Assert.False(release.Options.Contains(DhcpOptionCode.RequestedAddress));
        Assert.False(release.Options.Contains(DhcpOptionCode.ClientIdentifier));
    }

    [Fact]
    public void Lease_timers_default_to_a_half_and_seven_eighths_and_contradictions_are_repaired()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var plain = DhcpLease.FromAck(Ack(a => a.Options.Set(DhcpOptions.LeaseTime, 1000u)), start, TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromSeconds(500), plain.RenewalTime);
        Assert.Equal(TimeSpan.FromSeconds(875), plain.RebindingTime);
        Assert.Equal(start + TimeSpan.FromSeconds(1000), plain.ExpiresAt);

        var backwards = DhcpLease.FromAck(Ack(a =>
        {
            a.Options.Set(DhcpOptions.LeaseTime, 1000u);
            a.Options.Set(DhcpOptions.RenewalTime, 900u);
            a.Options.Set(DhcpOptions.RebindingTime, 2000u);
        }), start, TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromSeconds(875), backwards.RebindingTime);
        Assert.Equal(TimeSpan.FromSeconds(500), backwards.RenewalTime);

        var infinite = DhcpLease.FromAck(Ack(a => a.Options.Set(DhcpOptions.LeaseTime, uint.MaxValue)), start, TimeSpan.FromHours(1));
        Assert.True(infinite.IsInfinite);
        Assert.Equal(DateTimeOffset.MaxValue, infinite.RenewAt);
        Assert.Equal(DateTimeOffset.MaxValue, infinite.ExpiresAt);

        var missing = DhcpLease.FromAck(Ack(_ => { }), start, TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromMinutes(10), missing.LeaseTime);
    }

    [Fact]
    public async Task An_infinite_lease_is_never_renewed()
    {
        await using var harness = new ClientHarness(addServer: false);
        var address = IPv4Address.Parse("192.0.2.100");
        harness.Network.Intercept = sent => sent.Type switch
        {
            DhcpMessageType.Discover => [ClientHarness.ReplyTo(sent, DhcpMessageType.Offer, address, ClientHarness.Server1)],
            DhcpMessageType.Request => [ClientHarness.ReplyTo(sent, DhcpMessageType.Ack, address, ClientHarness.Server1, a => a.Options.Set(DhcpOptions.LeaseTime, uint.MaxValue))],
            _ => [],
        };
        var lease = await harness.StartAndBindAsync();
        Assert.True(lease.IsInfinite);
        Assert.Null(await harness.WaitIdleAsync());
        Assert.Equal(2, harness.Sent.Count);
    }

    [Fact]
    public void Retransmission_waits_double_to_64_seconds_and_renewals_halve_the_time_left()
    {
        Assert.Equal([4, 8, 16, 32, 64, 64, 64], Enumerable.Range(0, 7).Select(i => RetransmissionSchedule.Nominal(i).TotalSeconds));
        var random = new Random(7);
        for (int i = 0; i < 1000; i++)
        {
            Assert.InRange(RetransmissionSchedule.Next(0, random).TotalSeconds, 3, 5);
        }

        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var floor = TimeSpan.FromSeconds(60);
        Assert.Equal(now + TimeSpan.FromSeconds(500), RetransmissionSchedule.NextRenewal(now, now + TimeSpan.FromSeconds(1000), floor));
        Assert.Equal(now + floor, RetransmissionSchedule.NextRenewal(now, now + TimeSpan.FromSeconds(100), floor));
        Assert.Equal(now + TimeSpan.FromSeconds(30), RetransmissionSchedule.NextRenewal(now, now + TimeSpan.FromSeconds(30), floor));
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData("ntpServer", 42)]
    [InlineData("NTPSERVER", 42)]
    [InlineData("Network Time Protocol Servers", 42)]
    [InlineData("router", 3)]
    [InlineData("classlessRoute", 121)]
    [InlineData("224", 224)]
    public void Option_names_resolve_to_codes(string name, byte code) =>
        Assert.Equal(code, DhcpClientOptions.ResolveOptionCode(name));

    [Fact]
    public void A_parameter_request_list_can_be_named()
    {
        Assert.Equal([1, 3, 6, 42, 121], DhcpClientOptions.ResolveOptionCodes(["netmask", "router", "dns", "Network Time Protocol Servers", "121", "router"]));
    }

    [Theory]
    [InlineData("nosuchoption")]
    [InlineData("0")]
    [InlineData("255")]
    [InlineData("256")]
    public void Unknown_or_unrequestable_options_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => DhcpClientOptions.ResolveOptionCode(name));

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new DhcpClient(new DhcpClientOptions { HardwareAddress = [] }, new FakeNetwork(new())));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DhcpClient(new DhcpClientOptions { HardwareAddress = Mac, RequestAttempts = 0 }, new FakeNetwork(new())));
    }

    private static DhcpMessage Ack(Action<DhcpMessage> configure)
    {
        var ack = new DhcpMessage { Operation = BootOperation.Reply, YourAddress = IPv4Address.Parse("192.0.2.100"), ClientHardwareAddress = Mac };
        ack.MessageType = DhcpMessageType.Ack;
        ack.Options.Set(DhcpOptions.ServerIdentifier, ClientHarness.Server1);
        configure(ack);
        return ack;
    }
}
