using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Tests;

public class EngineTests
{
    private static readonly IPv4Address Server = EngineHarness.ServerAddress;

    [Fact]
    public async Task Discover_gets_an_offer_with_lease_timers_and_configured_options()
    {
        var harness = new EngineHarness();
        var response = await harness.DiscoverAsync(EngineHarness.Mac(1), m => m.Options.Set(DhcpOptions.ParameterRequestList, [1, 3, 6, 15]));
        Assert.NotNull(response);
        var offer = response.Reply;
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal(BootOperation.Reply, offer.Operation);
        Assert.InRange(offer.YourAddress.Value, IPv4Address.Parse("192.0.2.100").Value, IPv4Address.Parse("192.0.2.199").Value);
        Assert.Equal(Server, offer.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
        Assert.Equal(3600u, offer.Options.GetOrDefault(DhcpOptions.LeaseTime, 0u));
        Assert.Equal(1800u, offer.Options.GetOrDefault(DhcpOptions.RenewalTime, 0u));
        Assert.Equal(3150u, offer.Options.GetOrDefault(DhcpOptions.RebindingTime, 0u));
        Assert.Equal("255.255.255.0", offer.Options.GetOrDefault(DhcpOptions.SubnetMask, default).ToString());
        Assert.Equal([Server], offer.Options.GetOrDefault(DhcpOptions.Router, []));
        Assert.Equal("192.0.2.53", offer.Options.GetOrDefault(DhcpOptions.DomainNameServers, [])[0].ToString());
        Assert.Equal(ReplyDelivery.UnicastToNewAddress, response.Delivery);
    }

    [Fact]
    public async Task Request_in_selecting_state_is_acked_and_durable_before_the_ack()
    {
        var store = new MemoryLeaseStore();
        var harness = new EngineHarness(store: store);
        var mac = EngineHarness.Mac(1);
        var ack = await harness.ObtainAsync(mac);
        var stored = Assert.Single(await store.ListAsync(CancellationToken.None));
        Assert.Equal(ack.YourAddress, stored.Address);
        Assert.Equal(LeaseState.Bound, stored.State);
        Assert.Equal(harness.Clock.GetUtcNow() + TimeSpan.FromHours(1), stored.Expires);
    }

    [Fact]
    public async Task Request_naming_another_server_is_ignored_and_frees_the_offer()
    {
        var harness = new EngineHarness(EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.100"));
        var offer = await harness.DiscoverAsync(EngineHarness.Mac(1));
        Assert.NotNull(offer);
        Assert.Null(await harness.SelectAsync(EngineHarness.Mac(1), offer.Reply.YourAddress, IPv4Address.Parse("192.0.2.254")));
        // The single address is free again for someone else.
        var other = await harness.DiscoverAsync(EngineHarness.Mac(2));
        Assert.Equal(offer.Reply.YourAddress, other?.Reply.YourAddress);
    }

    [Fact]
    public async Task Offered_address_is_held_only_for_the_offer_time()
    {
        var harness = new EngineHarness(EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.100"));
        Assert.NotNull(await harness.DiscoverAsync(EngineHarness.Mac(1)));
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(2)));
        harness.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.NotNull(await harness.DiscoverAsync(EngineHarness.Mac(2)));
    }

    [Fact]
    public async Task Init_reboot_on_the_wrong_network_is_naked_when_authoritative_and_ignored_otherwise()
    {
        var wrong = IPv4Address.Parse("10.9.9.9");
        var harness = new EngineHarness();
        var nak = await harness.SendAsync(harness.NewRequest(DhcpMessageType.Request, EngineHarness.Mac(1), m => m.Options.Set(DhcpOptions.RequestedAddress, wrong)));
        Assert.NotNull(nak);
        Assert.Equal(DhcpMessageType.Nak, nak.Reply.MessageType);
        Assert.Equal(ReplyDelivery.Broadcast, nak.Delivery);
        Assert.True(nak.Reply.YourAddress.IsAny);
        Assert.False(nak.Reply.Options.Contains(DhcpOptionCode.LeaseTime));

        var quiet = new EngineHarness(EngineHarness.DefaultOptions() with { Authoritative = false });
        Assert.Null(await quiet.SendAsync(quiet.NewRequest(DhcpMessageType.Request, EngineHarness.Mac(1), m => m.Options.Set(DhcpOptions.RequestedAddress, wrong))));
    }

    [Fact]
    public async Task Init_reboot_for_the_clients_own_address_is_acked()
    {
        var harness = new EngineHarness();
        var mac = EngineHarness.Mac(1);
        var ack = await harness.ObtainAsync(mac);
        var again = await harness.SendAsync(harness.NewRequest(DhcpMessageType.Request, mac, m => m.Options.Set(DhcpOptions.RequestedAddress, ack.YourAddress)));
        Assert.Equal(DhcpMessageType.Ack, again?.Reply.MessageType);
    }

    [Fact]
    public async Task Renewing_is_unicast_to_ciaddr_and_extends_the_lease()
    {
        var harness = new EngineHarness();
        var mac = EngineHarness.Mac(1);
        var ack = await harness.ObtainAsync(mac);
        var renewed = new List<LeaseEventArgs>();
        harness.Engine.Events.Renewed += (_, e) => renewed.Add(e);
        harness.Clock.Advance(TimeSpan.FromMinutes(30));
        var response = await harness.RenewAsync(mac, ack.YourAddress);
        Assert.NotNull(response);
        Assert.Equal(DhcpMessageType.Ack, response.Reply.MessageType);
        Assert.Equal(ReplyDelivery.Unicast, response.Delivery);
        Assert.Equal(ack.YourAddress.ToIPAddress(), response.Destination.Address);
        Assert.Equal(ack.YourAddress, response.Reply.ClientAddress);
        Assert.Equal(harness.Clock.GetUtcNow() + TimeSpan.FromHours(1), Assert.Single(renewed).Lease.Expires);
    }

    [Fact]
    public async Task Renewing_someone_elses_address_is_naked()
    {
        var harness = new EngineHarness();
        var ack = await harness.ObtainAsync(EngineHarness.Mac(1));
        var response = await harness.RenewAsync(EngineHarness.Mac(2), ack.YourAddress);
        Assert.Equal(DhcpMessageType.Nak, response?.Reply.MessageType);
    }

    [Fact]
    public async Task Returning_client_gets_its_previous_address_and_a_requested_free_one_is_honoured()
    {
        var harness = new EngineHarness();
        var mac = EngineHarness.Mac(1);
        var first = await harness.ObtainAsync(mac);
        await harness.SendAsync(harness.NewRequest(DhcpMessageType.Release, mac, m => m.ClientAddress = first.YourAddress));
        // Others come and go; the released address is reused last.
        for (int i = 2; i < 20; i++)
        {
            await harness.ObtainAsync(EngineHarness.Mac(i));
        }

        var again = await harness.DiscoverAsync(mac);
        Assert.Equal(first.YourAddress, again?.Reply.YourAddress);

        var wanted = IPv4Address.Parse("192.0.2.150");
        var requested = await harness.DiscoverAsync(EngineHarness.Mac(99), m => m.Options.Set(DhcpOptions.RequestedAddress, wanted));
        Assert.Equal(wanted, requested?.Reply.YourAddress);
    }

    [Fact]
    public async Task Client_identifier_takes_precedence_over_the_hardware_address()
    {
        var harness = new EngineHarness();
        var mac = EngineHarness.Mac(1);
        var a = await harness.ObtainAsync(mac, m => m.Options.Set(DhcpOptions.ClientIdentifier, new ClientIdentifier(0, "host-a"u8.ToArray())));
        var b = await harness.ObtainAsync(mac, m => m.Options.Set(DhcpOptions.ClientIdentifier, new ClientIdentifier(0, "host-b"u8.ToArray())));
        Assert.NotEqual(a.YourAddress, b.YourAddress);
        // RFC 6842: the identifier is echoed.
        Assert.Equal("host-b"u8.ToArray(), b.Options.GetOrDefault(DhcpOptions.ClientIdentifier, new ClientIdentifier(0, [])).Identifier);
    }

    [Fact]
    public async Task Firmware_without_client_id_and_ipxe_with_the_mac_as_client_id_share_one_lease()
    {
        // EDK2 sends no option 61; the iPXE it chain-loads sends 01:MAC. One machine, one address.
        var harness = new EngineHarness();
        var mac = EngineHarness.Mac(1);
        var firmware = await harness.ObtainAsync(mac);
        var ipxe = await harness.ObtainAsync(mac, m => m.Options.Set(DhcpOptions.ClientIdentifier, ClientIdentifier.FromHardwareAddress(mac)));
        Assert.Equal(firmware.YourAddress, ipxe.YourAddress);
        Assert.Equal(1, (await harness.Engine.Leases.Store.ListAsync(CancellationToken.None)).Count(l => l.State == LeaseState.Bound));
    }

    [Fact]
    public async Task Declined_address_stays_out_of_use_for_the_probation_time()
    {
        var harness = new EngineHarness(EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.101") with { DeclineProbation = TimeSpan.FromMinutes(10) });
        var mac = EngineHarness.Mac(1);
        var ack = await harness.ObtainAsync(mac);
        var declined = ack.YourAddress;
        Assert.Null(await harness.SendAsync(harness.NewRequest(DhcpMessageType.Decline, mac, m =>
        {
            m.Options.Set(DhcpOptions.RequestedAddress, declined);
            m.Options.Set(DhcpOptions.ServerIdentifier, Server);
        })));
        Assert.Equal(LeaseState.Declined, (await harness.Engine.Leases.FindByAddressAsync(declined))?.State);

        for (int i = 0; i < 5; i++)
        {
            var offer = await harness.DiscoverAsync(EngineHarness.Mac(10 + i));
            Assert.NotEqual(declined, offer?.Reply.YourAddress);
        }

        harness.Clock.Advance(TimeSpan.FromMinutes(11));
        var offers = new List<IPv4Address>();
        for (int i = 0; i < 2; i++)
        {
            if (await harness.DiscoverAsync(EngineHarness.Mac(50 + i)) is { } response)
            {
                offers.Add(response.Reply.YourAddress);
            }
        }

        Assert.Contains(declined, offers);
    }

    [Fact]
    public async Task Inform_gets_options_without_a_lease()
    {
        var harness = new EngineHarness();
        var ciaddr = IPv4Address.Parse("192.0.2.20");
        var response = await harness.SendAsync(harness.NewRequest(DhcpMessageType.Inform, EngineHarness.Mac(1), m => m.ClientAddress = ciaddr));
        Assert.NotNull(response);
        Assert.Equal(DhcpMessageType.Ack, response.Reply.MessageType);
        Assert.True(response.Reply.YourAddress.IsAny);
        Assert.False(response.Reply.Options.Contains(DhcpOptionCode.LeaseTime));
        Assert.False(response.Reply.Options.Contains(DhcpOptions.RenewalTime.Code));
        Assert.Equal(ciaddr.ToIPAddress(), response.Destination.Address);
        Assert.Empty(await harness.Engine.Leases.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reservations_by_mac_prefix_and_client_id_are_honoured_and_never_given_to_others()
    {
        var reserved = IPv4Address.Parse("192.0.2.150");
        var byClientId = IPv4Address.Parse("192.0.2.151");
        var options = EngineHarness.DefaultOptions("192.0.2.150", "192.0.2.152");
        options = options with
        {
            Subnets =
            [
                options.Subnets[0] with
                {
                    Reservations =
                    [
                        new ReservationOptions { HardwareAddress = EngineHarness.Mac(7), Address = reserved, HostName = "printer" },
                        new ReservationOptions { ClientIdentifier = [0, .. "kiosk"u8], Address = byClientId },
                        new ReservationOptions { HardwareAddressPrefix = [0x00, 0x1b, 0x21], Options = new OptionSet().Set(DhcpOptions.BootFileName, "intel.efi") },
                    ],
                },
            ],
        };
        var harness = new EngineHarness(options);
        var others = new List<IPv4Address>();
        for (int i = 0; i < 3; i++)
        {
            if (await harness.DiscoverAsync(EngineHarness.Mac(100 + i)) is { } offer)
            {
                others.Add(offer.Reply.YourAddress);
            }
        }

        Assert.Equal([IPv4Address.Parse("192.0.2.152")], others);
        var printer = await harness.ObtainAsync(EngineHarness.Mac(7), m => m.Options.Set(DhcpOptions.ParameterRequestList, [1, 12]));
        Assert.Equal(reserved, printer.YourAddress);
        Assert.Equal("printer", printer.Options.GetOrDefault(DhcpOptions.HostName, ""));
        var kiosk = await harness.ObtainAsync(EngineHarness.Mac(8), m => m.Options.Set(DhcpOptions.ClientIdentifier, new ClientIdentifier(0, "kiosk"u8.ToArray())));
        Assert.Equal(byClientId, kiosk.YourAddress);
        // A reserved client asking for another address is refused.
        var nak = await harness.SelectAsync(EngineHarness.Mac(7), IPv4Address.Parse("192.0.2.152"));
        Assert.Equal(DhcpMessageType.Nak, nak?.Reply.MessageType);
        // Someone else asking for the reserved address is refused.
        var stolen = await harness.SendAsync(harness.NewRequest(DhcpMessageType.Request, EngineHarness.Mac(9), m => m.Options.Set(DhcpOptions.RequestedAddress, reserved)));
        Assert.Equal(DhcpMessageType.Nak, stolen?.Reply.MessageType);
    }

    [Fact]
    public async Task Full_pool_answers_nothing_counts_it_and_naks_requests_for_taken_addresses()
    {
        var harness = new EngineHarness(EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.101"));
        var a = await harness.ObtainAsync(EngineHarness.Mac(1));
        await harness.ObtainAsync(EngineHarness.Mac(2));
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(3)));
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(4)));
        Assert.Equal(2, harness.Engine.Metrics.Exhausted);
        var nak = await harness.SendAsync(harness.NewRequest(DhcpMessageType.Request, EngineHarness.Mac(3), m => m.Options.Set(DhcpOptions.RequestedAddress, a.YourAddress)));
        Assert.Equal(DhcpMessageType.Nak, nak?.Reply.MessageType);
    }

    [Fact]
    public async Task Bootp_clients_get_reservations_always_and_dynamic_addresses_only_when_enabled()
    {
        var options = EngineHarness.DefaultOptions();
        options = options with { Subnets = [options.Subnets[0] with { Reservations = [new ReservationOptions { HardwareAddress = EngineHarness.Mac(5), Address = IPv4Address.Parse("192.0.2.10") }] }] };
        var harness = new EngineHarness(options);
        var bootp = harness.NewRequest(DhcpMessageType.None, EngineHarness.Mac(5));
        var reply = await harness.SendAsync(bootp);
        Assert.NotNull(reply);
        Assert.True(reply.Reply.IsBootp);
        Assert.Equal("192.0.2.10", reply.Reply.YourAddress.ToString());
        Assert.Null(await harness.SendAsync(harness.NewRequest(DhcpMessageType.None, EngineHarness.Mac(6))));

        var dynamic = new EngineHarness(options with { DynamicBootp = true });
        var anyone = await dynamic.SendAsync(dynamic.NewRequest(DhcpMessageType.None, EngineHarness.Mac(6)));
        Assert.NotNull(anyone);
        Assert.Equal(DateTimeOffset.MaxValue, (await dynamic.Engine.Leases.FindByAddressAsync(anyone.Reply.YourAddress))?.Expires);
    }

    [Fact]
    public async Task Relayed_requests_use_the_giaddr_subnet_and_go_back_to_the_relay_with_option_82()
    {
        var options = EngineHarness.DefaultOptions();
        options = options with
        {
            Subnets =
            [
                .. options.Subnets,
                new SubnetOptions { Network = IPv4Network.Parse("10.20.0.0/24"), Pools = [new PoolOptions { First = IPv4Address.Parse("10.20.0.10"), Last = IPv4Address.Parse("10.20.0.20") }] },
                new SubnetOptions { Network = IPv4Network.Parse("10.30.0.0/24"), Pools = [new PoolOptions { First = IPv4Address.Parse("10.30.0.10"), Last = IPv4Address.Parse("10.30.0.20") }] },
                new SubnetOptions { Network = IPv4Network.Parse("10.40.0.0/24"), Pools = [new PoolOptions { First = IPv4Address.Parse("10.40.0.10"), Last = IPv4Address.Parse("10.40.0.20") }] },
            ],
        };
        var harness = new EngineHarness(options);
        byte[] agent = [1, 4, (byte)'p', (byte)'o', (byte)'r', (byte)'t'];
        var relayed = await harness.DiscoverAsync(EngineHarness.Mac(1), m =>
        {
            m.GatewayAddress = IPv4Address.Parse("10.20.0.1");
            m.Hops = 1;
            m.Options.SetRaw(82, agent);
        });
        Assert.NotNull(relayed);
        Assert.Equal("10.20.0.1:67", relayed.Destination.ToString());
        Assert.Equal(ReplyDelivery.Relay, relayed.Delivery);
        Assert.StartsWith("10.20.0.", relayed.Reply.YourAddress.ToString(), StringComparison.Ordinal);
        Assert.Equal(agent, relayed.Reply.Options.GetRaw(82));

        var bySubnetSelection = await harness.DiscoverAsync(EngineHarness.Mac(2), m => m.Options.Set(DhcpOptions.SubnetSelection, IPv4Address.Parse("10.30.0.0")));
        Assert.StartsWith("10.30.0.", bySubnetSelection?.Reply.YourAddress.ToString(), StringComparison.Ordinal);

        var byLinkSelection = await harness.DiscoverAsync(EngineHarness.Mac(3), m =>
        {
            m.GatewayAddress = IPv4Address.Parse("10.20.0.1");
            m.Options.Set(DhcpOptions.RelayAgentInformation, [new SubOption(5, [10, 40, 0, 0])]);
        });
        Assert.StartsWith("10.40.0.", byLinkSelection?.Reply.YourAddress.ToString(), StringComparison.Ordinal);

        var unknown = await harness.DiscoverAsync(EngineHarness.Mac(4), m => m.GatewayAddress = IPv4Address.Parse("172.16.0.1"));
        Assert.Null(unknown);
    }

    [Fact]
    public async Task Classes_add_options_and_restrict_pools()
    {
        var options = EngineHarness.DefaultOptions();
        options = options with
        {
            Classes =
            [
                new ClientClassOptions { Name = "pxe-uefi", VendorClassPrefix = "PXEClient", Architectures = [ProcessorArchitecture.X64Uefi], Options = new OptionSet().Set(DhcpOptions.BootFileName, "ipxe.efi") },
                new ClientClassOptions { Name = "ipxe", UserClass = "iPXE", Options = new OptionSet().Set(DhcpOptions.BootFileName, "http://boot/menu.ipxe") },
            ],
            Subnets =
            [
                options.Subnets[0] with
                {
                    Pools =
                    [
                        new PoolOptions { First = IPv4Address.Parse("192.0.2.10"), Last = IPv4Address.Parse("192.0.2.19"), AllowedClasses = ["pxe-uefi"] },
                        new PoolOptions { First = IPv4Address.Parse("192.0.2.100"), Last = IPv4Address.Parse("192.0.2.199") },
                    ],
                },
            ],
        };
        var harness = new EngineHarness(options);
        var pxe = await harness.DiscoverAsync(EngineHarness.Mac(1), m =>
        {
            m.Options.Set(DhcpOptions.VendorClassIdentifier, "PXEClient:Arch:00007:UNDI:003000");
            m.Options.Set(DhcpOptions.ClientArchitecture, [ProcessorArchitecture.X64Uefi]);
            m.Options.Set(DhcpOptions.ParameterRequestList, [1, 3, 67]);
        });
        Assert.StartsWith("192.0.2.1", pxe?.Reply.YourAddress.ToString(), StringComparison.Ordinal);
        Assert.InRange(pxe!.Reply.YourAddress.Value & 0xff, 10u, 19u);
        Assert.Equal("ipxe.efi", pxe.Reply.Options.GetOrDefault(DhcpOptions.BootFileName, ""));

        // Later classes win: an iPXE client of the same arch gets the script.
        var ipxe = await harness.DiscoverAsync(EngineHarness.Mac(2), m =>
        {
            m.Options.Set(DhcpOptions.VendorClassIdentifier, "PXEClient:Arch:00007:UNDI:003010");
            m.Options.Set(DhcpOptions.ClientArchitecture, [ProcessorArchitecture.X64Uefi]);
            m.Options.Set(DhcpOptions.UserClass, UserClass.Raw("iPXE"));
            m.Options.Set(DhcpOptions.ParameterRequestList, [67]);
        });
        Assert.Equal("http://boot/menu.ipxe", ipxe?.Reply.Options.GetOrDefault(DhcpOptions.BootFileName, ""));

        var plain = await harness.DiscoverAsync(EngineHarness.Mac(3));
        Assert.InRange(plain!.Reply.YourAddress.Value & 0xff, 100u, 199u);
    }

    [Fact]
    public async Task Parameter_request_list_is_honoured_and_always_send_options_are_added()
    {
        var options = EngineHarness.DefaultOptions() with { AlwaysSend = [DhcpOptions.DomainName.Code] };
        options.Options.Set(DhcpOptions.DomainName, "lan").Set(DhcpOptions.NtpServers, [IPv4Address.Parse("192.0.2.123")]);
        var harness = new EngineHarness(options);
        var reply = (await harness.DiscoverAsync(EngineHarness.Mac(1), m => m.Options.Set(DhcpOptions.ParameterRequestList, [3])))!.Reply;
        Assert.True(reply.Options.Contains(DhcpOptions.Router.Code));
        Assert.True(reply.Options.Contains(DhcpOptions.DomainName.Code));
        Assert.False(reply.Options.Contains(DhcpOptions.NtpServers.Code));
        Assert.False(reply.Options.Contains(DhcpOptions.DomainNameServers.Code));
        var all = (await harness.DiscoverAsync(EngineHarness.Mac(2)))!.Reply;
        Assert.True(all.Options.Contains(DhcpOptions.NtpServers.Code));
    }

    [Fact]
    public async Task Option_precedence_is_global_subnet_pool_class_reservation()
    {
        var options = EngineHarness.DefaultOptions();
        options.Options.Set(DhcpOptions.DomainName, "global");
        options = options with
        {
            Classes = [new ClientClassOptions { Name = "c", HardwareAddressPrefix = [0x52, 0x54], Options = new OptionSet().Set(DhcpOptions.HostName, "from-class") }],
            Subnets =
            [
                options.Subnets[0] with
                {
                    Options = new OptionSet().Set(DhcpOptions.DomainName, "subnet").Set(DhcpOptions.HostName, "from-subnet"),
                    Pools = [new PoolOptions { First = IPv4Address.Parse("192.0.2.100"), Last = IPv4Address.Parse("192.0.2.199"), Options = new OptionSet().Set(DhcpOptions.DomainName, "pool") }],
                    Reservations = [new ReservationOptions { HardwareAddress = EngineHarness.Mac(2), Options = new OptionSet().Set(DhcpOptions.HostName, "from-host") }],
                },
            ],
        };
        var harness = new EngineHarness(options);
        var one = (await harness.DiscoverAsync(EngineHarness.Mac(1)))!.Reply;
        Assert.Equal("pool", one.Options.GetOrDefault(DhcpOptions.DomainName, ""));
        Assert.Equal("from-class", one.Options.GetOrDefault(DhcpOptions.HostName, ""));
        var two = (await harness.DiscoverAsync(EngineHarness.Mac(2)))!.Reply;
        Assert.Equal("from-host", two.Options.GetOrDefault(DhcpOptions.HostName, ""));
    }

    [Fact]
    public async Task Callbacks_can_drop_choose_the_address_and_edit_the_reply_and_their_failures_cost_one_request()
    {
        bool fail = false;
        var callbacks = new DhcpServerCallbacks
        {
            AcceptRequest = (context, _) => ValueTask.FromResult(context.Request.ClientHardwareAddress[5] != 66),
            SelectAddress = (context, _) => ValueTask.FromResult<IPv4Address?>(context.Request.ClientHardwareAddress[5] == 1 ? IPv4Address.Parse("192.0.2.177") : null),
            BeforeReply = async (context, reply, _) =>
            {
                await Task.Yield();
                if (fail)
                {
                    throw new InvalidOperationException("callback bug");
                }

                reply.BootFileName = $"boot-{context.Client.HardwareAddress[5]}.efi";
                return true;
            },
        };
        var harness = new EngineHarness(callbacks: callbacks);
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(66)));
        var chosen = await harness.DiscoverAsync(EngineHarness.Mac(1));
        Assert.Equal("192.0.2.177", chosen?.Reply.YourAddress.ToString());
        Assert.Equal("boot-1.efi", chosen?.Reply.BootFileName);
        fail = true;
        Assert.Null(await harness.DiscoverAsync(EngineHarness.Mac(2)));
        fail = false;
        Assert.NotNull(await harness.DiscoverAsync(EngineHarness.Mac(3)));
    }

    [Fact]
    public async Task Events_report_the_lease_life_cycle_including_expiry()
    {
        var harness = new EngineHarness();
        var seen = new List<string>();
        var events = harness.Engine.Events;
        events.Offered += (_, e) => seen.Add($"offered {e.Lease.Address}");
        events.Bound += (_, e) => seen.Add($"bound {e.Lease.Address}");
        events.Released += (_, e) => seen.Add($"released {e.Lease.Address}");
        events.Expired += (_, e) => seen.Add($"expired {e.Lease.Address}");
        var one = await harness.ObtainAsync(EngineHarness.Mac(1));
        var two = await harness.ObtainAsync(EngineHarness.Mac(2));
        await harness.SendAsync(harness.NewRequest(DhcpMessageType.Release, EngineHarness.Mac(1), m => m.ClientAddress = one.YourAddress));
        harness.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Single(await harness.Engine.ReclaimExpiredAsync());
        Assert.Equal([$"offered {one.YourAddress}", $"bound {one.YourAddress}", $"offered {two.YourAddress}", $"bound {two.YourAddress}", $"released {one.YourAddress}", $"expired {two.YourAddress}"], seen);
    }

    [Fact]
    public async Task Ping_check_skips_addresses_that_answer()
    {
        var answering = IPv4Address.Parse("192.0.2.100");
        var prober = new FakeProber(answering);
        var harness = new EngineHarness(EngineHarness.DefaultOptions("192.0.2.100", "192.0.2.110") with { PingCheck = true }, prober: prober);
        var offer = await harness.DiscoverAsync(EngineHarness.Mac(1));
        Assert.NotEqual(answering, offer?.Reply.YourAddress);
        Assert.Equal(LeaseState.Declined, (await harness.Engine.Leases.FindByAddressAsync(answering))?.State);
        Assert.Equal(2, prober.Probes);
    }

    [Fact]
    public async Task Server_restart_keeps_leases_and_a_renewing_client_keeps_its_address()
    {
        var store = new MemoryLeaseStore();
        var first = new EngineHarness(store: store);
        var addresses = new Dictionary<int, IPv4Address>();
        for (int i = 1; i <= 10; i++)
        {
            addresses[i] = (await first.ObtainAsync(EngineHarness.Mac(i))).YourAddress;
        }

        var second = new EngineHarness(store: store);
        var renew = await second.RenewAsync(EngineHarness.Mac(3), addresses[3]);
        Assert.Equal(DhcpMessageType.Ack, renew?.Reply.MessageType);
        // A newcomer never gets an address that is still bound to someone.
        var newcomer = await second.DiscoverAsync(EngineHarness.Mac(100));
        Assert.DoesNotContain(newcomer!.Reply.YourAddress, addresses.Values);
    }

    [Fact]
    public async Task Replies_to_broadcast_flag_requests_are_broadcast()
    {
        var harness = new EngineHarness();
        var response = await harness.DiscoverAsync(EngineHarness.Mac(1), m => m.IsBroadcast = true);
        Assert.Equal(ReplyDelivery.Broadcast, response?.Delivery);
        Assert.Equal("255.255.255.255:68", response?.Destination.ToString());
    }

    [Fact]
    public async Task Replies_from_servers_and_requests_without_subnet_are_dropped()
    {
        var harness = new EngineHarness();
        var reply = harness.NewRequest(DhcpMessageType.Offer, EngineHarness.Mac(1));
        reply.Operation = BootOperation.Reply;
        Assert.Null(await harness.SendAsync(reply));
        var elsewhere = new IngressInterface("eth9", 9, IPv4Address.Parse("172.16.0.1"));
        Assert.Null(await harness.SendAsync(harness.NewRequest(DhcpMessageType.Discover, EngineHarness.Mac(1)), elsewhere));
        Assert.Equal(2, harness.Engine.Metrics.Dropped);
    }

    private sealed class FakeProber(IPv4Address answering) : IAddressProber
    {
        public int Probes { get; private set; }

        public ValueTask<bool> IsInUseAsync(IPv4Address address, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Probes++;
            return ValueTask.FromResult(address == answering);
        }
    }
}
