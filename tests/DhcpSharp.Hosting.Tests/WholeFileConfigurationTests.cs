using System.Runtime.CompilerServices;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Hosting.Tests;

public class WholeFileConfigurationTests
{
    private static string RepositoryRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    [Fact]
    public void Published_schema_matches_what_the_loader_accepts()
    {
        string path = Path.Combine(RepositoryRoot(), "schemas", "dhcpsharp.schema.json");
        string generated = DhcpSharpConfiguration.GenerateSchema();
        if (Environment.GetEnvironmentVariable("DHCPSHARP_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), "schemas/dhcpsharp.schema.json is missing; run the tests with DHCPSHARP_UPDATE_GOLDEN=1");
        Assert.Equal(generated, File.ReadAllText(path).ReplaceLineEndings("\n"));
        Assert.Contains("\"dns\"", generated, StringComparison.Ordinal);
        Assert.Contains("\"tftpMaxBlockSize\"", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("\"null\"", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Example_configuration_loads()
    {
        var settings = DhcpSharpConfiguration.LoadFile(Path.Combine(RepositoryRoot(), "deploy", "dhcpsharp.example.json"));
        Assert.Equal(["eth0"], settings.Interfaces);
        Assert.Equal(67, settings.Port);
        Assert.Equal(DhcpSharpSettings.DefaultLeaseFile, settings.LeaseFile);
        var subnet = Assert.Single(settings.Dhcp.Subnets);
        Assert.Equal("192.168.1.0/24", subnet.Network.ToString());
        Assert.Equal(["uefi-pxe", "ipxe"], settings.Dhcp.Classes.Select(c => c.Name));
        Assert.Equal([ProcessorArchitecture.X64Uefi], settings.Dhcp.Classes[0].Architectures);
        Assert.Null(settings.Boot);
    }

    [Fact]
    public void Boot_section_becomes_the_policy_rules()
    {
        var settings = DhcpSharpConfiguration.Parse("""
            {
              // Comments and trailing commas, as in the DHCP keys.
              "boot": {
                "proxy": true,
                "proxyInterfaces": "eth1",
                "tftpPort": 1069,
                "rules": [
                  { "name": "lab", "match": { "architecture": ["uefi-x64", 0], "mac": "52:54:00:00:00:01", "uuid": "8a0c1c2e-5ca1-4e00-9d00-0000c6000001" },
                    "bootFile": "lab.efi", "nextServer": "192.0.2.5" },
                  { "match": { "ipxe": true }, "menu": { "items": [ { "type": 32768, "description": "Local", "bootFile": "local.ipxe" } ] } },
                ],
              },
            }
            """);
        var boot = Assert.IsType<Boot.Configuration.BootSettings>(settings.Boot);
        Assert.True(boot.Proxy);
        Assert.Equal(["eth1"], boot.ProxyInterfaces);
        Assert.Equal(1069, boot.TftpPort);
        Assert.Equal(Boot.Configuration.BootSettings.DefaultHttpPort, boot.HttpPort);
        Assert.Equal(2, boot.Rules.Count);
        var lab = boot.Rules[0];
        Assert.Equal("lab", lab.Name);
        Assert.Equal([ProcessorArchitecture.X64Uefi, ProcessorArchitecture.X86Bios], lab.Match.Architectures);
        Assert.Equal(new byte[] { 0x52, 0x54, 0, 0, 0, 1 }, lab.Match.HardwareAddress);
        Assert.Equal(Guid.Parse("8a0c1c2e-5ca1-4e00-9d00-0000c6000001"), lab.Match.Uuid);
        Assert.Equal("lab.efi", lab.Answer.BootFile);
        Assert.Equal(IPv4Address.Parse("192.0.2.5"), lab.Answer.NextServer);
        var menu = Assert.IsType<PxeMenu>(boot.Rules[1].Answer.Menu);
        Assert.Equal("Press F8 for the boot menu", menu.Prompt);
        Assert.Equal(5, menu.Timeout);
        Assert.Equal(new PxeMenuEntry(32768, "Local", "local.ipxe"), Assert.Single(menu.Items));
        Assert.True(boot.Rules[1].Match.Ipxe);

        // Configured rules first, then the built-in ones (overrides applied).
        var effective = (boot with { Overrides = [new BootOverride(ProcessorArchitecture.X86Bios, false, "custom.kpxe")] }).EffectiveRules(null);
        Assert.Equal(boot.Rules, effective.Take(2));
        Assert.Contains(effective.Skip(2), r => r.Answer.BootFile == "custom.kpxe" && r.Name!.StartsWith("--boot ", StringComparison.Ordinal));
        Assert.Equal(boot.Rules, (boot with { DefaultRules = false }).EffectiveRules(null));
    }

    [Fact]
    public void Dhcp_options_and_keys_are_read_as_by_the_server_loader()
    {
        var settings = DhcpSharpConfiguration.Parse("""{ "port": 1067, "leaseCommitDelayMs": 0, "options": { "dns": "192.0.2.53" }, "boot": {} }""");
        Assert.Equal(1067, settings.Port);
        Assert.Equal(TimeSpan.Zero, settings.LeaseCommitDelay);
        Assert.True(settings.Dhcp.Options.TryGet(DhcpOptions.DomainNameServers.Code, out var dns));
        Assert.Equal(new byte[] { 192, 0, 2, 53 }, dns);
        var boot = Assert.IsType<Boot.Configuration.BootSettings>(settings.Boot);
        Assert.Equal(Boot.Configuration.BootSettings.DefaultRoot, boot.Root);
        Assert.True(boot.DefaultRules && boot.Tftp && boot.Http);
    }

    [Theory]
    [InlineData("""{ "bot": {} }""", "$.bot", "unknown key; expected one of interfaces, port, leaseFile, serverName, leaseCommitDelayMs, leaseTime, renewalTime, rebindingTime, offerTime, declineProbation, authoritative, dynamicBootp, pingCheck, pingTimeoutMs, serverIdentifier, alwaysSend, options, classes, subnets, boot")]
    [InlineData("""{ "boot": { "tftpPrt": 69 } }""", "$.boot.tftpPrt", "unknown key; expected one of proxy, proxyInterfaces, root, tftp, tftpPort, tftpSinglePort, tftpMaxBlockSize, tftpMaxWindowSize, http, httpPort, rules, defaultRules")]
    [InlineData("""{ "boot": { "rules": [ { "bootFile": "x", "match": { "arch": "bios" } } ] } }""", "$.boot.rules[0].match.arch", "unknown key; expected one of architecture, vendorClassPrefix, userClass, ipxe, mac, macPrefix, uuid, interface")]
    [InlineData("""{ "boot": { "rules": [ { "bootFile": "x", "menu": { "items": [ { "type": 1, "description": "d", "bootFile": "f", "x": 1 } ] } } ] } }""", "$.boot.rules[0].menu.items[0].x", "unknown key; expected one of type, description, bootFile")]
    [InlineData("""{ "boot": [] }""", "$.boot", "expected an object, got array")]
    [InlineData("""{ "boot": { "proxy": "yes" } }""", "$.boot.proxy", "expected true or false, got \"yes\"")]
    [InlineData("""{ "boot": { "tftpMaxBlockSize": 100 } }""", "$.boot.tftpMaxBlockSize", "expected a whole number from 512 to 65464, got 100")]
    [InlineData("""{ "boot": { "httpPort": "abc" } }""", "$.boot.httpPort", "expected a whole number from 1 to 65535, got \"abc\"")]
    [InlineData("""{ "boot": { "proxyInterfaces": ["eth0", ""] } }""", "$.boot.proxyInterfaces[1]", "expected a non-empty string")]
    [InlineData("""{ "boot": { "rules": [ { "bootFile": "x", "match": { "uuid": "nope" } } ] } }""", "$.boot.rules[0].match.uuid", "\"nope\" is not a UUID")]
    [InlineData("""{ "boot": { "rules": [ { "bootFile": "x", "match": { "architecture": "amiga" } } ] } }""", "$.boot.rules[0].match.architecture[0]", "not an architecture")]
    [InlineData("""{ "boot": { "rules": [ { "bootFile": "x", "match": { "mac": "zz" } } ] } }""", "$.boot.rules[0].match.mac", "hardware address")]
    [InlineData("""{ "boot": { "rules": [ { "name": "empty" } ] } }""", "$.boot.rules[0]", "a boot rule needs bootFile, httpUrl or menu")]
    [InlineData("""{ "boot": { "rules": [ { "httpUrl": "ftp://x/y" } ] } }""", "$.boot.rules[0].httpUrl", "is not an http:// or https:// URL")]
    [InlineData("""{ "boot": { "rules": [ { "nextServer": "10.0.0", "bootFile": "x" } ] } }""", "$.boot.rules[0].nextServer", "is not an IPv4 address")]
    [InlineData("""{ "boot": { "rules": [ { "menu": {} } ] } }""", "$.boot.rules[0].menu.items", "a menu needs at least one item")]
    [InlineData("""{ "boot": { "rules": [ { "menu": { "items": [] } } ] } }""", "$.boot.rules[0].menu.items", "a menu needs at least one item")]
    [InlineData("""{ "boot": { "rules": [ { "menu": { "items": [ { "description": "d", "bootFile": "f" } ] } } ] } }""", "$.boot.rules[0].menu.items[0].type", "is required (32768-65534 for your own items)")]
    [InlineData("""{ "boot": { "rules": [ { "menu": { "items": [ { "type": 65535, "description": "d", "bootFile": "f" } ] } } ] } }""", "$.boot.rules[0].menu.items[0].type", "from 1 to 65534")]
    [InlineData("""{ "boot": { "rules": [ { "menu": { "timeout": 300, "items": [ { "type": 1, "description": "d", "bootFile": "f" } ] } } ] } }""", "$.boot.rules[0].menu.timeout", "from 0 to 255")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "pool": [] } ] }""", "$.subnets[0].pool", "unknown key; expected one of subnet, interface, sharedNetwork, leaseTime, pools, reservations, options")]
    [InlineData("""{ "port": "abc" }""", "$.port", "expected a whole number from 1 to 65535, got \"abc\"")]
    public void Bad_whole_file_is_refused_with_the_key_and_reason(string json, string key, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() => DhcpSharpConfiguration.Parse(json));
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith(key + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_only_loader_does_not_know_boot()
    {
        var error = Assert.Throws<ConfigurationException>(() => DhcpServerConfigurationLoader.Parse("""{ "boot": {} }"""));
        Assert.Equal("$.boot", error.Key);
        Assert.StartsWith("unknown key; expected one of interfaces,", error.Reason, StringComparison.Ordinal);
        Assert.EndsWith(", subnets", error.Reason, StringComparison.Ordinal);
    }
}
