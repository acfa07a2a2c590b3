using System.Net;
using System.Text;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Boot.Proxy;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Engine;

namespace DhcpSharp.Boot.Tests;

/// <summary>
/// proxyDHCP replies to the real requests of the reference captures (no sockets): what each
/// firmware gets on port 67 and on 4011, and who is ignored.
/// </summary>
public sealed class ProxyDhcpServerTests
{
    private static readonly IPv4Address Server = IPv4Address.Parse("10.198.0.2");
    private static readonly IPv4Address Client = IPv4Address.Parse("10.198.0.125");
    private static readonly IPEndPoint Broadcast68 = new(IPAddress.Broadcast, 68);

    internal static DhcpRequestContext Context(DhcpMessage request, int localPort = 67, string source = "0.0.0.0:68", IPv4Address? server = null) =>
        new(request, new IngressInterface("eth0", 2, server ?? Server, localPort), IPEndPoint.Parse(source), DateTimeOffset.UtcNow);

    internal static DhcpMessage Parse(byte[] packet) => DhcpMessage.Parse(packet);

    /// <summary>A plain BIOS PXE ROM: the iPXE BIOS DISCOVER without iPXE's 77 and 175.</summary>
    internal static DhcpMessage BiosRomDiscover()
    {
        var message = Parse(CapturedPackets.IpxeBiosDiscover);
        message.Options.Remove(77);
        message.Options.Remove(175);
        return message;
    }

    /// <summary>UEFI HTTP boot: the EDK2 DISCOVER with 60 HTTPClient and 93 = 16.</summary>
    internal static DhcpMessage HttpClientDiscover()
    {
        var message = Parse(CapturedPackets.Edk2Discover);
        message.Options.Set(DhcpOptions.VendorClassIdentifier, "HTTPClient:Arch:00016:UNDI:003000");
        message.Options.Set(DhcpOptions.ClientArchitecture, new[] { ProcessorArchitecture.X64UefiHttp });
        return message;
    }

    private static ProxyDhcpServer Proxy(string? httpBase = "http://{server}:8080", IEnumerable<BootOverride>? overrides = null) =>
        new(new BootPolicy(BootPolicy.DefaultRules(httpBase, overrides)));

    private static async Task<DhcpResponse> AnswerAsync(ProxyDhcpServer proxy, DhcpRequestContext context)
    {
        var response = await proxy.HandleAsync(context, CancellationToken.None);
        Assert.NotNull(response);

        // Whatever is sent must encode and read back as the same message.
        var bytes = response.Reply.ToArray(response.MaximumMessageSize);
        Assert.True(DhcpPacketReader.TryRead(bytes, out _, out var error), $"reply does not parse: {error}");
        return response;
    }

    private static string? Text(DhcpMessage message, byte code) =>
        message.Options.TryGetRaw(code, out var raw) ? Encoding.ASCII.GetString(raw) : null;

    [Fact]
    public async Task Bios_rom_discover_gets_a_proxy_offer_with_43_6_8_and_undionly()
    {
        var discover = BiosRomDiscover();

        var response = await AnswerAsync(Proxy(), Context(discover));
        var offer = response.Reply;

        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal(BootOperation.Reply, offer.Operation);
        Assert.Equal(discover.TransactionId, offer.TransactionId);
        Assert.Equal(discover.ClientHardwareAddress.ToArray(), offer.ClientHardwareAddress.ToArray());
        Assert.Equal(IPv4Address.Any, offer.YourAddress);           // a proxy never offers an address
        Assert.Equal(0x8000, offer.Flags);
        Assert.Equal("PXEClient"u8.ToArray(), offer.Options.GetRaw(60)); // exactly 9 bytes
        Assert.Equal(Server, offer.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
        Assert.Equal(discover.Options.GetRaw(97), offer.Options.GetRaw(97));
        Assert.Equal(new byte[] { 6, 1, 8, 255 }, offer.Options.GetRaw(43)); // 43.6 = 8: boot the file directly, then end
        Assert.Equal(Server, offer.ServerAddress);
        Assert.Equal("undionly.kpxe", offer.BootFileName);
        Assert.Equal("undionly.kpxe", Text(offer, 67));
        Assert.False(offer.Options.Contains(51)); // no lease
        Assert.False(offer.Options.Contains(1));
        Assert.False(offer.Options.Contains(3));
        Assert.Equal(Broadcast68, response.Destination);
        Assert.Equal(ReplyDelivery.Broadcast, response.Delivery);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ipxe_discover_gets_the_script_and_no_menu(bool uefi)
    {
        var discover = Parse(uefi ? CapturedPackets.IpxeUefiDiscover : CapturedPackets.IpxeBiosDiscover);

        var response = await AnswerAsync(Proxy(), Context(discover));
        var offer = response.Reply;

        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal("boot.ipxe", offer.BootFileName);
        Assert.Equal(Server, offer.ServerAddress);
        Assert.False(offer.Options.Contains(43), "iPXE must not get option 43");
        Assert.Equal("PXEClient", Text(offer, 60));
        Assert.Equal(IPv4Address.Any, offer.YourAddress);
        Assert.Equal(0x8000, offer.Flags);
    }

    [Fact]
    public async Task Edk2_uefi_discover_gets_a_binl_offer_without_43_and_without_a_file()
    {
        var discover = Parse(CapturedPackets.Edk2Discover);

        var response = await AnswerAsync(Proxy(), Context(discover));
        var offer = response.Reply;

        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.False(offer.Options.Contains(43));
        Assert.Equal("", offer.BootFileName);
        Assert.False(offer.Options.Contains(67));
        Assert.Equal(Server, offer.ServerAddress); // EDK2 asks siaddr:4011 next
        Assert.Equal("PXEClient", Text(offer, 60));
        Assert.Equal(Server, offer.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));
        Assert.Equal(discover.Options.GetRaw(97), offer.Options.GetRaw(97));
        Assert.Equal(IPv4Address.Any, offer.YourAddress);
        Assert.Equal(Broadcast68, response.Destination);
    }

    [Fact]
    public async Task Ipxe_pxebs_request_on_4011_gets_an_ack_to_its_source_with_43_71_echoed_and_yiaddr()
    {
        var request = Parse(CapturedPackets.IpxeBiosPxebsRequest);
        Assert.Equal(0u, request.TransactionId);

        var response = await AnswerAsync(Proxy(), Context(request, 4011, "10.198.0.125:68"));
        var ack = response.Reply;

        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        Assert.Equal(0u, ack.TransactionId);
        Assert.Equal(IPEndPoint.Parse("10.198.0.125:68"), response.Destination);
        Assert.Equal(ReplyDelivery.ToSource, response.Delivery);
        Assert.True(PxeVendorOptions.TryDecode(ack.Options.GetRaw(43), out var pxe, out _));
        Assert.Equal(new PxeBootItem(0x8000, 0), pxe!.BootItem);
        Assert.Equal(new byte[] { 71, 4, 0x80, 0x00, 0x00, 0x00, 255 }, ack.Options.GetRaw(43));
        Assert.Equal(Client, ack.YourAddress);
        Assert.Equal("boot.ipxe", ack.BootFileName);
        Assert.Equal(Server, ack.ServerAddress);
        Assert.Equal("PXEClient", Text(ack, 60));
    }

    [Fact]
    public async Task Ipxe_proxy_dhcp_request_naming_this_server_gets_an_ack_to_its_source_with_ciaddr()
    {
        var request = Parse(CapturedPackets.IpxeUefiProxyRequest);
        Assert.Equal(Server, request.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));

        var response = await AnswerAsync(Proxy(), Context(request, 4011, "10.198.0.125:68"));
        var ack = response.Reply;

        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        Assert.Equal(0x9c08ec63u, ack.TransactionId);
        Assert.Equal(IPEndPoint.Parse("10.198.0.125:68"), response.Destination);
        Assert.Equal(ReplyDelivery.ToSource, response.Delivery);
        Assert.Equal(Client, ack.ClientAddress);
        Assert.Equal("boot.ipxe", ack.BootFileName);
        Assert.False(ack.Options.Contains(43));
    }

    [Fact]
    public async Task Edk2_request_from_port_4011_with_a_new_xid_gets_snponly_back_to_port_4011()
    {
        var request = Parse(CapturedPackets.Edk2BootServerRequest);

        var response = await AnswerAsync(Proxy(), Context(request, 4011, "10.198.0.125:4011"));
        var ack = response.Reply;

        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        Assert.Equal(0x688f5d76u, ack.TransactionId);
        Assert.Equal(IPEndPoint.Parse("10.198.0.125:4011"), response.Destination);
        Assert.Equal(ReplyDelivery.ToSource, response.Delivery);
        Assert.Equal("snponly.efi", ack.BootFileName);
        Assert.Equal("snponly.efi", Text(ack, 67));
        Assert.Equal(Server, ack.ServerAddress);
        Assert.Equal("10.198.0.2", ack.ServerName);
        Assert.Equal(Client, ack.ClientAddress);
        Assert.Equal(request.Options.GetRaw(97), ack.Options.GetRaw(97));
    }

    [Fact]
    public async Task A_non_pxe_discover_is_ignored()
    {
        var discover = Parse(CapturedPackets.UdhcpcDiscover);

        Assert.Null(await Proxy().HandleAsync(Context(discover), CancellationToken.None));
    }

    [Fact]
    public async Task A_4011_request_naming_another_server_is_ignored()
    {
        var request = Parse(CapturedPackets.IpxeUefiProxyRequest); // 54 = 10.198.0.2

        var context = Context(request, 4011, "10.198.0.125:68", server: IPv4Address.Parse("10.198.0.3"));

        Assert.Null(await Proxy().HandleAsync(context, CancellationToken.None));
    }

    [Fact]
    public async Task A_dhcp_request_on_67_is_left_to_the_dhcp_server()
    {
        var request = Parse(CapturedPackets.Edk2Discover);
        request.MessageType = DhcpMessageType.Request;
        request.Options.Set(DhcpOptions.ServerIdentifier, IPv4Address.Parse("10.198.0.1"));

        Assert.Null(await Proxy().HandleAsync(Context(request), CancellationToken.None));
    }

    [Fact]
    public async Task A_bootreply_is_ignored()
    {
        var message = Parse(CapturedPackets.Edk2Discover);
        message.Operation = BootOperation.Reply;

        Assert.Null(await Proxy().HandleAsync(Context(message), CancellationToken.None));
    }

    [Fact]
    public async Task A_pxe_bis_credentials_request_is_ignored()
    {
        var request = Parse(CapturedPackets.IpxeBiosPxebsRequest);
        request.Options.SetRaw(43, new PxeVendorOptions { BootItem = new PxeBootItem(0x8000, 0x8000) }.Encode());

        Assert.Null(await Proxy().HandleAsync(Context(request, 4011, "10.198.0.125:68"), CancellationToken.None));
    }

    [Fact]
    public async Task Http_client_discover_gets_60_httpclient_and_an_http_uri()
    {
        var discover = HttpClientDiscover();

        var response = await AnswerAsync(Proxy(), Context(discover));
        var offer = response.Reply;

        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal("HTTPClient"u8.ToArray(), offer.Options.GetRaw(60));
        Assert.Equal("http://10.198.0.2:8080/snponly.efi", offer.BootFileName);
        Assert.Equal("http://10.198.0.2:8080/snponly.efi", Text(offer, 67));
        Assert.Equal(IPv4Address.Any, offer.YourAddress);
    }

    [Fact]
    public async Task Http_client_without_an_http_server_is_not_answered()
    {
        Assert.Null(await Proxy(httpBase: null).HandleAsync(Context(HttpClientDiscover()), CancellationToken.None));
    }

    [Fact]
    public async Task A_relayed_discover_is_answered_to_the_relay()
    {
        var discover = BiosRomDiscover();
        discover.GatewayAddress = IPv4Address.Parse("10.9.0.1");

        var response = await AnswerAsync(Proxy(), Context(discover, source: "10.9.0.1:67"));

        Assert.Equal(IPEndPoint.Parse("10.9.0.1:67"), response.Destination);
        Assert.Equal(ReplyDelivery.Relay, response.Delivery);
        Assert.Equal(IPv4Address.Parse("10.9.0.1"), response.Reply.GatewayAddress);
    }

    [Fact]
    public async Task A_menu_rule_sends_the_menu_on_67_and_the_chosen_item_file_on_4011()
    {
        var menu = new PxeMenu("Boot from network", 5, [new PxeMenuEntry(0x8000, "Installer", "installer.kpxe"), new PxeMenuEntry(0x8001, "Rescue", "rescue.kpxe")]);
        var rule = new BootRule(new BootMatch { Firmware = [BootFirmware.Bios] }, new BootAnswer { BootFile = "undionly.kpxe", Menu = menu });
        var proxy = new ProxyDhcpServer(new BootPolicy([rule]));

        var offer = (await AnswerAsync(proxy, Context(BiosRomDiscover()))).Reply;
        Assert.True(PxeVendorOptions.TryDecode(offer.Options.GetRaw(43), out var pxe, out _));
        Assert.Equal(["Installer", "Rescue"], pxe!.BootMenu.Select(i => i.Description));
        Assert.Equal([(ushort)0x8000, (ushort)0x8001], pxe.BootServers.Select(s => s.Type));
        Assert.Equal("Boot from network", pxe.MenuPrompt?.Text);
        Assert.Equal("", offer.BootFileName);

        var request = Parse(CapturedPackets.IpxeBiosPxebsRequest);
        request.Options.Remove(77);
        request.Options.Remove(175);
        request.Options.SetRaw(43, new PxeVendorOptions { BootItem = new PxeBootItem(0x8001, 0) }.Encode());
        var ack = (await AnswerAsync(proxy, Context(request, 4011, "10.198.0.125:68"))).Reply;
        Assert.Equal("rescue.kpxe", ack.BootFileName);
        Assert.True(PxeVendorOptions.TryDecode(ack.Options.GetRaw(43), out var echoed, out _));
        Assert.Equal(new PxeBootItem(0x8001, 0), echoed!.BootItem);
    }

    [Fact]
    public async Task Server_placeholder_in_a_boot_file_becomes_the_answering_address()
    {
        var rule = new BootRule(new BootMatch { Ipxe = true }, new BootAnswer { BootFile = "http://{server}/boot.ipxe" });
        var proxy = new ProxyDhcpServer(new BootPolicy([rule]));

        var offer = (await AnswerAsync(proxy, Context(Parse(CapturedPackets.IpxeBiosDiscover), server: IPv4Address.Parse("192.0.2.7")))).Reply;

        Assert.Equal("http://192.0.2.7/boot.ipxe", offer.BootFileName);
        Assert.Equal(IPv4Address.Parse("192.0.2.7"), offer.ServerAddress);
    }
}

/// <summary>The boot policy: rule order, the callback, and <c>--boot</c> overrides.</summary>
public sealed class BootPolicyTests
{
    private static BootRequest Request(DhcpMessage message) => new(ProxyDhcpServerTests.Context(message));

    private static BootRequest WithArchitecture(ProcessorArchitecture architecture)
    {
        var message = ProxyDhcpServerTests.Parse(CapturedPackets.Edk2Discover);
        message.Options.Set(DhcpOptions.ClientArchitecture, new[] { architecture });
        message.Options.Set(DhcpOptions.VendorClassIdentifier, $"PXEClient:Arch:{(int)architecture:D5}:UNDI:003000");
        return Request(message);
    }

    private static async Task<string?> FileAsync(BootPolicy policy, BootRequest request) =>
        (await policy.DecideAsync(request, CancellationToken.None)) is { } answer ? answer.HttpUrl ?? answer.BootFile : null;

    [Fact]
    public void Boot_request_facts_come_from_the_captured_packets()
    {
        var ipxe = Request(ProxyDhcpServerTests.Parse(CapturedPackets.IpxeBiosDiscover));
        var edk2 = Request(ProxyDhcpServerTests.Parse(CapturedPackets.Edk2Discover));
        var udhcpc = Request(ProxyDhcpServerTests.Parse(CapturedPackets.UdhcpcDiscover));

        Assert.True(ipxe.IsIpxe);
        Assert.True(ipxe.IsPxeClient);
        Assert.Equal(ProcessorArchitecture.X86Bios, ipxe.Architecture);
        Assert.False(edk2.IsIpxe);
        Assert.Equal(new BootClientKind(BootFirmware.UefiX64, false), edk2.Kind);
        Assert.Equal(Guid.Parse("8a0c1c2e-5ca1-4e00-9d00-0000c6000001"), edk2.Uuid);
        Assert.False(udhcpc.IsNetworkBootClient);
    }

    [Fact]
    public void Without_option_93_the_architecture_comes_from_option_60()
    {
        var message = ProxyDhcpServerTests.Parse(CapturedPackets.Edk2Discover);
        message.Options.Remove(93);

        Assert.Equal(ProcessorArchitecture.X64Uefi, Request(message).Architecture);
    }

    [Fact]
    public async Task The_first_matching_rule_wins()
    {
        var policy = new BootPolicy(
        [
            new BootRule(new BootMatch { Architectures = [ProcessorArchitecture.X86Bios] }, new BootAnswer { BootFile = "never.kpxe" }),
            new BootRule(new BootMatch { Firmware = [BootFirmware.UefiX64] }, new BootAnswer { BootFile = "first.efi" }),
            new BootRule(new BootMatch { Architectures = [ProcessorArchitecture.X64Uefi] }, new BootAnswer { BootFile = "second.efi" }),
            new BootRule(new BootMatch(), new BootAnswer { BootFile = "catch-all" }),
        ]);

        Assert.Equal("first.efi", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X64Uefi)));
        Assert.Equal("never.kpxe", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X86Bios)));
        Assert.Equal("catch-all", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.Arm64Uefi)));
    }

    [Fact]
    public async Task No_matching_rule_means_no_answer()
    {
        var policy = new BootPolicy([new BootRule(new BootMatch { Firmware = [BootFirmware.Bios] }, new BootAnswer { BootFile = "x" })]);

        Assert.Null(await policy.DecideAsync(WithArchitecture(ProcessorArchitecture.Arm64Uefi), CancellationToken.None));
    }

    [Fact]
    public async Task The_callback_overrides_the_rules_and_null_falls_through_to_them()
    {
        var seen = new List<string>();
        var policy = new BootPolicy(
            BootPolicy.DefaultRules(null),
            (request, _) =>
            {
                seen.Add(Convert.ToHexString(request.HardwareAddress));
                return ValueTask.FromResult(request.Architecture == ProcessorArchitecture.X64Uefi ? new BootAnswer { BootFile = "from-callback.efi" } : null);
            });

        Assert.Equal("from-callback.efi", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X64Uefi)));
        Assert.Equal("undionly.kpxe", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X86Bios)));
        Assert.Equal(["525400C60001", "525400C60001"], seen);
    }

    [Fact]
    public async Task The_callback_decides_what_the_proxy_sends()
    {
        var proxy = new ProxyDhcpServer(new BootPolicy(BootPolicy.DefaultRules(null), (_, _) => ValueTask.FromResult<BootAnswer?>(new BootAnswer { BootFile = "custom.kpxe", NextServer = IPv4Address.Parse("10.198.0.9") })));

        var response = await proxy.HandleAsync(ProxyDhcpServerTests.Context(ProxyDhcpServerTests.BiosRomDiscover()), CancellationToken.None);

        Assert.Equal("custom.kpxe", response!.Reply.BootFileName);
        Assert.Equal(IPv4Address.Parse("10.198.0.9"), response.Reply.ServerAddress);
    }

    [Theory]
    [InlineData(ProcessorArchitecture.X86Bios, "undionly.kpxe")]
    [InlineData(ProcessorArchitecture.X64Uefi, "snponly.efi")]
    [InlineData(ProcessorArchitecture.EfiXscale, "snponly.efi")]
    [InlineData(ProcessorArchitecture.EfiByteCode, "snponly.efi")]
    [InlineData(ProcessorArchitecture.Arm64Uefi, null)]
    public async Task Default_rules_per_architecture(ProcessorArchitecture architecture, string? file)
    {
        Assert.Equal(file, await FileAsync(new BootPolicy(BootPolicy.DefaultRules(null)), WithArchitecture(architecture)));
    }

    [Fact]
    public async Task Default_rules_give_ipxe_the_script_whatever_its_architecture()
    {
        var policy = new BootPolicy(BootPolicy.DefaultRules("http://10.198.0.2:8080"));

        Assert.Equal("boot.ipxe", await FileAsync(policy, Request(ProxyDhcpServerTests.Parse(CapturedPackets.IpxeBiosDiscover))));
        Assert.Equal("boot.ipxe", await FileAsync(policy, Request(ProxyDhcpServerTests.Parse(CapturedPackets.IpxeUefiDiscover))));
        Assert.Equal("http://10.198.0.2:8080/snponly.efi", await FileAsync(policy, Request(ProxyDhcpServerTests.HttpClientDiscover())));
    }

    [Theory]
    [InlineData(ProcessorArchitecture.X64Uefi)]
    [InlineData(ProcessorArchitecture.EfiXscale)]
    [InlineData(ProcessorArchitecture.EfiByteCode)]
    public async Task A_uefi_x64_override_applies_to_the_whole_x64_family(ProcessorArchitecture architecture)
    {
        Assert.True(BootPolicy.TryParseOverride("uefi-x64=ipxe.efi", out var entry, out var error), error);
        var policy = new BootPolicy(BootPolicy.DefaultRules(null, [entry]));

        Assert.Equal("ipxe.efi", await FileAsync(policy, WithArchitecture(architecture)));
        Assert.Equal("undionly.kpxe", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X86Bios)));
        Assert.Equal("boot.ipxe", await FileAsync(policy, Request(ProxyDhcpServerTests.Parse(CapturedPackets.IpxeUefiDiscover)))); // iPXE is never re-served a binary
    }

    [Fact]
    public async Task Override_by_code_bios_and_ipxe()
    {
        Assert.True(BootPolicy.TryParseOverride("9=by-code.efi", out var byCode, out _));
        Assert.True(BootPolicy.TryParseOverride("bios = pxelinux.0", out var bios, out _));
        Assert.True(BootPolicy.TryParseOverride("iPXE=menu.ipxe", out var ipxe, out _));
        var policy = new BootPolicy(BootPolicy.DefaultRules(null, [byCode, bios, ipxe]));

        Assert.Equal("by-code.efi", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X64Uefi))); // code 9 is the x64 family too
        Assert.Equal("pxelinux.0", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X86Bios)));
        Assert.Equal("menu.ipxe", await FileAsync(policy, Request(ProxyDhcpServerTests.Parse(CapturedPackets.IpxeBiosDiscover))));
    }

    [Theory]
    [InlineData("http-uefi-x64=grub/grubx64.efi", "http://10.198.0.2:8080/grub/grubx64.efi")]
    [InlineData("http-uefi-x64=http://images.example/shim.efi", "http://images.example/shim.efi")]
    public async Task An_http_override_becomes_a_url(string text, string url)
    {
        Assert.True(BootPolicy.TryParseOverride(text, out var entry, out _));
        var policy = new BootPolicy(BootPolicy.DefaultRules("http://10.198.0.2:8080", [entry]));

        Assert.Equal(url, await FileAsync(policy, Request(ProxyDhcpServerTests.HttpClientDiscover())));
        Assert.Equal("snponly.efi", await FileAsync(policy, WithArchitecture(ProcessorArchitecture.X64Uefi))); // TFTP UEFI unaffected
    }

    [Theory]
    [InlineData("bios")]
    [InlineData("bios=")]
    [InlineData("=x.efi")]
    [InlineData("commodore64=x.prg")]
    public void Malformed_overrides_are_rejected_with_a_message(string text)
    {
        Assert.False(BootPolicy.TryParseOverride(text, out var result, out var error));
        Assert.Null(result);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
