using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;

namespace DhcpSharp.Protocol.Tests;

public class OptionTableTests
{
    private static readonly DhcpOptionSpace Table = DhcpOptionSpaces.Dhcp4;

    /// <summary>Every code node-dhcp 0.2.20 knows, plus the PXE/relay/boot options the mission lists.</summary>
    public static TheoryData<int> RequiredCodes()
    {
        var codes = Enumerable.Range(1, 61)
            .Concat(Enumerable.Range(64, 13))
            .Concat([77, 80, 81, 82, 93, 94, 95, 97, 108, 114, 116, 118, 119, 121, 124, 125, 145, 150, 175])
            .Concat(Enumerable.Range(208, 4))
            .Concat([249, 252]);
        return new TheoryData<int>(codes);
    }

    [Theory]
    [MemberData(nameof(RequiredCodes))]
    public void Table_covers_code(int code)
    {
        var definition = Table[(byte)code];
        Assert.NotNull(definition);
        Assert.Equal(code, definition.Code);
        Assert.True(Table.TryGet(definition.ConfigKey, out var byKey));
        Assert.Same(definition, byKey);
    }

    [Fact]
    public void Config_keys_are_unique_camel_case()
    {
        var keys = Table.Definitions.Select(d => d.ConfigKey).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(keys, k => Assert.True(char.IsLower(k[0]) && k.All(char.IsAsciiLetterOrDigit), k));
    }

    [Fact]
    public void Node_dhcp_config_keys_are_kept()
    {
        foreach (var (key, code) in new (string, int)[] { ("netmask", 1), ("router", 3), ("dns", 6), ("hostname", 12), ("domainName", 15), ("broadcast", 28), ("ntpServer", 42), ("leaseTime", 51), ("server", 54), ("maxMessageSize", 57), ("renewalTime", 58), ("rebindingTime", 59), ("tftpServer", 66), ("bootFile", 67), ("classlessRoute", 121), ("wpad", 252), ("pxeMagicOption", 208) })
        {
            Assert.True(Table.TryGet(key, out var definition), key);
            Assert.Equal(code, definition.Code);
        }
    }

    [Theory]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(27)]
    [InlineData(29)]
    [InlineData(30)]
    [InlineData(31)]
    [InlineData(34)]
    [InlineData(36)]
    [InlineData(39)]
    public void Flag_options_are_one_byte_not_zero_length(int code)
    {
        // node-dhcp modelled 20, 34, 36, 39 as zero-length, desynchronising everything after them.
        var definition = (DhcpOptionDefinition<bool>)Table[(byte)code]!;
        Assert.Equal(new byte[] { 1 }, definition.Encode(true));
        Assert.True(definition.Decode([0]) is false);
        Assert.False(definition.TryDecode([], out _, out _));
        Assert.False(definition.TryDecode([2], out _, out _));
    }

    [Theory]
    [InlineData(45)]
    [InlineData(68)]
    public void Server_list_options_are_ipv4_lists(int code)
    {
        // node-dhcp: 45 a single IP, 68 text; RFC 2132 says lists (68 may even be empty).
        var definition = (DhcpOptionDefinition<IReadOnlyList<IPv4Address>>)Table[(byte)code]!;
        var list = definition.Decode([10, 0, 0, 1, 10, 0, 0, 2]);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], list.Select(a => a.ToString()));
        Assert.Empty(definition.Decode([]));
        Assert.False(definition.TryDecode([1, 2, 3], out _, out _));
    }

    [Fact]
    public void Client_identifier_is_type_and_bytes_not_text()
    {
        byte[] raw = [1, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01];
        var id = DhcpOptions.ClientIdentifier.Decode(raw);
        Assert.Equal(1, id.Type);
        Assert.Equal("52:54:00:00:00:01", HardwareAddress.Format(id.Identifier));
        Assert.Equal(raw, DhcpOptions.ClientIdentifier.Encode(id));
        // A NUL inside must survive (node-dhcp cut text at NUL).
        byte[] duid = [255, 0, 0, 0, 1, 0, 3, 0, 1, 2, 0, 0, 0, 0, 1];
        Assert.Equal(duid, DhcpOptions.ClientIdentifier.Encode(DhcpOptions.ClientIdentifier.Decode(duid)));
        Assert.StartsWith("RFC 4361 IAID 00000001", DhcpOptions.ClientIdentifier.Decode(duid).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Domain_search_uses_dns_labels_with_compression()
    {
        // RFC 3397 §3 example: eng.apple.com, marketing.apple.com with a pointer to "apple.com".
        byte[] wire = [3, (byte)'e', (byte)'n', (byte)'g', 5, (byte)'a', (byte)'p', (byte)'p', (byte)'l', (byte)'e', 3, (byte)'c', (byte)'o', (byte)'m', 0,
                       9, (byte)'m', (byte)'a', (byte)'r', (byte)'k', (byte)'e', (byte)'t', (byte)'i', (byte)'n', (byte)'g', 0xC0, 4];
        var names = DhcpOptions.DomainSearch.Decode(wire);
        Assert.Equal(["eng.apple.com", "marketing.apple.com"], names);
        Assert.Equal(wire, DhcpOptions.DomainSearch.Encode(names));
    }

    [Fact]
    public void Domain_search_rejects_pointer_loops_and_forward_pointers()
    {
        Assert.False(DhcpOptions.DomainSearch.TryDecode([0xC0, 0], out _, out var error));
        Assert.Contains("backwards", error, StringComparison.Ordinal);
        Assert.False(DhcpOptions.DomainSearch.TryDecode([1, (byte)'a', 0xC0, 5, 0], out _, out _));
        Assert.False(DhcpOptions.DomainSearch.TryDecode([3, (byte)'a'], out _, out _));
    }

    [Fact]
    public void Classless_routes_use_rfc3442_descriptors()
    {
        // 10.0.0.0/8 via 192.0.2.1, 0.0.0.0/0 via 192.0.2.254, 192.168.1.0/24 via 192.0.2.2
        byte[] wire = [8, 10, 192, 0, 2, 1, 0, 192, 0, 2, 254, 24, 192, 168, 1, 192, 0, 2, 2];
        var routes = DhcpOptions.ClasslessStaticRoute.Decode(wire);
        Assert.Equal(["10.0.0.0/8 via 192.0.2.1", "0.0.0.0/0 via 192.0.2.254", "192.168.1.0/24 via 192.0.2.2"], routes.Select(r => r.ToString()));
        Assert.Equal(wire, DhcpOptions.ClasslessStaticRoute.Encode(routes));
        Assert.Equal(wire, DhcpOptions.MicrosoftClasslessStaticRoute.Encode(DhcpOptions.MicrosoftClasslessStaticRoute.Decode(wire)));
        Assert.False(DhcpOptions.ClasslessStaticRoute.TryDecode([33, 1, 2, 3, 4, 5, 6, 7, 8], out _, out _));
        Assert.False(DhcpOptions.ClasslessStaticRoute.TryDecode([24, 192, 168], out _, out _));
    }

    [Fact]
    public void Client_fqdn_reads_canonical_and_ascii_forms()
    {
        var canonical = DhcpOptions.ClientFqdn.Decode([0x05, 0, 0, 4, (byte)'h', (byte)'o', (byte)'s', (byte)'t', 3, (byte)'l', (byte)'a', (byte)'n', 0]);
        Assert.Equal(ClientFqdnFlags.ServerUpdate | ClientFqdnFlags.CanonicalEncoding, canonical.Flags);
        Assert.Equal("host.lan", canonical.DomainName);
        var ascii = DhcpOptions.ClientFqdn.Decode([0x01, 0, 0, (byte)'p', (byte)'c']);
        Assert.Equal("pc", ascii.DomainName);
    }

    [Fact]
    public void Relay_agent_information_keeps_sub_options()
    {
        byte[] wire = [1, 3, (byte)'e', (byte)'t', (byte)'h', 2, 2, 0xAB, 0xCD, 5, 4, 10, 1, 2, 0];
        var subs = DhcpOptions.RelayAgentInformation.Decode(wire);
        Assert.Equal([1, 2, 5], subs.Select(s => (int)s.Code));
        Assert.Equal(wire, DhcpOptions.RelayAgentInformation.Encode(subs));
        Assert.Contains("5 linkSelection=10.1.2.0", DhcpOptions.RelayAgentInformation.Codec.Format(subs), StringComparison.Ordinal);
    }

    [Fact]
    public void User_class_reads_rfc3004_and_ipxe_raw_forms()
    {
        var raw = DhcpOptions.UserClass.Decode("iPXE"u8);
        Assert.False(raw.IsRfc3004);
        Assert.True(raw.Contains("iPXE"));
        Assert.Equal("iPXE"u8.ToArray(), DhcpOptions.UserClass.Encode(raw));

        byte[] rfc = [4, (byte)'i', (byte)'P', (byte)'X', (byte)'E', 2, (byte)'h', (byte)'i'];
        var list = DhcpOptions.UserClass.Decode(rfc);
        Assert.True(list.IsRfc3004);
        Assert.Equal(["iPXE", "hi"], list.ClassNames);
        Assert.Equal(rfc, DhcpOptions.UserClass.Encode(list));
    }

    [Fact]
    public void Pxe_client_options_93_94_97_decode()
    {
        Assert.Equal([ProcessorArchitecture.X64Uefi], DhcpOptions.ClientArchitecture.Decode([0, 7]));
        Assert.Equal([ProcessorArchitecture.X86Bios, ProcessorArchitecture.Arm64Uefi], DhcpOptions.ClientArchitecture.Decode([0, 0, 0, 11]));
        Assert.False(DhcpOptions.ClientArchitecture.TryDecode([0], out _, out _));
        Assert.Equal("UNDI 3.0", DhcpOptions.ClientNetworkInterface.Decode([1, 3, 0]).ToString());
        var id = DhcpOptions.ClientMachineId.Decode(Convert.FromHexString("002e1c0c8aa15c004e9d000000c6000001"));
        Assert.Equal(Guid.Parse("8a0c1c2e-5ca1-4e00-9d00-0000c6000001"), id.Guid);
    }

    [Fact]
    public void Ipxe_encapsulated_options_are_named()
    {
        var subs = DhcpOptions.Ipxe.Decode(Convert.FromHexString("b105018086100eeb03010000170101"));
        Assert.Equal([0xb1, 0xeb, 0x17], subs.Select(s => (int)s.Code));
        Assert.Contains("23 dns=1", DhcpOptions.Ipxe.Codec.Format(subs), StringComparison.Ordinal);
    }

    [Fact]
    public void Vendor_identifying_options_round_trip()
    {
        byte[] wire = [0, 0, 0x0d, 0xe9, 6, 1, 1, 0xAA, 2, 1, 0xBB];
        var blocks = DhcpOptions.VendorIdentifyingOptions.Decode(wire);
        Assert.Equal(3561u, Assert.Single(blocks).EnterpriseNumber);
        Assert.Equal(wire, DhcpOptions.VendorIdentifyingOptions.Encode(blocks));
        byte[] classes = [0, 0, 0x0d, 0xe9, 4, 3, (byte)'a', (byte)'b', (byte)'c'];
        Assert.Equal(classes, DhcpOptions.VendorIdentifyingClass.Encode(DhcpOptions.VendorIdentifyingClass.Decode(classes)));
    }

    [Fact]
    public void Vendor_specific_43_is_shown_as_pxe_sub_options_when_it_parses()
    {
        var pxe = new PxeVendorOptions
        {
            DiscoveryControl = PxeDiscoveryControl.BootFileDirectly,
            BootServers = [new PxeBootServer(0x8000, [IPv4Address.Parse("10.198.0.2")])],
            BootMenu = [new PxeMenuItem(0x8000, "Network boot")],
            MenuPrompt = new PxeMenuPrompt(0, "PXE"),
        };
        byte[] raw = pxe.Encode();
        Assert.Equal(255, raw[^1]);
        Assert.True(PxeVendorOptions.TryDecode(raw, out var decoded, out _));
        Assert.Equal(PxeDiscoveryControl.BootFileDirectly, decoded!.DiscoveryControl);
        Assert.Equal("Network boot", Assert.Single(decoded.BootMenu).Description);
        Assert.Equal(raw, decoded.Encode());
        string text = DhcpOptions.VendorSpecific.Codec.Format(raw);
        Assert.Contains("6 discoveryControl=8", text, StringComparison.Ordinal);
        Assert.Contains("bootMenu=0x8000 \"Network boot\"", text, StringComparison.Ordinal);
        Assert.Equal("0102", DhcpOptions.VendorSpecific.Codec.Format([1, 2]));
    }

    [Fact]
    public void Message_type_and_enums_show_names()
    {
        Assert.Equal("DISCOVER", DhcpOptions.MessageType.Codec.Format(1));
        Assert.Equal("LEASEQUERY", DhcpOptions.MessageType.Codec.Format(10));
        Assert.Equal("H-node", ((DhcpOptionDefinition<byte>)Table[46]!).Codec.Format(8));
    }

    [Fact]
    public void Users_can_register_options_at_run_time()
    {
        var table = DhcpOptionSpaces.Dhcp4.Clone("test");
        var custom = new DhcpOptionDefinition<string>(224, "Site Config URL", "siteConfigUrl", OptionCodecs.Text);
        table.Register(custom);
        Assert.Same(custom, table[224]);
        Assert.True(table.TryGet("siteConfigUrl", out _));
        Assert.Null(DhcpOptionSpaces.Dhcp4[224]);

        // Overriding a standard code replaces its key.
        table.Register(new DhcpOptionDefinition<byte[]>(12, "Host Name (raw)", "hostnameRaw", OptionCodecs.Binary));
        Assert.False(table.TryGet("hostname", out _));
        Assert.Throws<ArgumentException>(() => table.Register(new DhcpOptionDefinition<byte[]>(225, "clash", "router", OptionCodecs.Binary)));

        var message = TestPackets.Discover();
        message.Options.Set(custom, "http://config/");
        var parsed = DhcpMessage.Parse(message.ToArray());
        Assert.True(parsed.Options.TryGet(custom, out var url));
        Assert.Equal("http://config/", url);
        Assert.Contains("siteConfigUrl", Formatting.DhcpMessageFormatter.Format(parsed, table), StringComparison.Ordinal);
    }
}
