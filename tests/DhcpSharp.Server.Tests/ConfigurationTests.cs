using System.Runtime.CompilerServices;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Tests;

public class ConfigurationTests
{
    private static string RepositoryRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    [Fact]
    public void Example_configuration_loads()
    {
        var settings = DhcpServerConfigurationLoader.LoadFile(Path.Combine(RepositoryRoot(), "deploy", "dhcpsharp.example.json"));
        Assert.Equal(["eth0"], settings.Interfaces);
        var subnet = Assert.Single(settings.Server.Subnets);
        Assert.Equal("192.168.1.0/24", subnet.Network.ToString());
        Assert.Equal("192.168.1.150-192.168.1.159", Assert.Single(Assert.Single(subnet.Pools).Exclusions).ToString());
        Assert.Equal(2, subnet.Reservations.Count);
        Assert.Equal([1, 0x52, 0x54, 0, 0xab, 0xcd, 0xef], subnet.Reservations[1].ClientIdentifier);
        Assert.Equal(["uefi-pxe", "ipxe"], settings.Server.Classes.Select(c => c.Name));
        Assert.True(settings.Server.Options.TryGet(DhcpOptions.DomainName.Code, out var domain));
        Assert.Equal("lan"u8.ToArray(), domain);
        Assert.Equal([DhcpOptions.DomainName.Code], settings.Server.AlwaysSend);
    }

    [Theory]
    [InlineData("""{ "subnets": [ { "subnet": "192.168.1.0/24", "pools": [ { "range": "192.168.1.100-192.168.2.10" } ] } ] }""", "$.subnets[0].pools[0].range", "not inside subnet")]
    [InlineData("""{ "subnets": [ { "subnet": "192.168.1.1/24" } ] }""", "$.subnets[0].subnet", "host bits")]
    [InlineData("""{ "subnets": [ { "subnet": "192.168.1.0/24", "pool": [] } ] }""", "$.subnets[0].pool", "unknown key")]
    [InlineData("""{ "leaseTim": 60 }""", "$.leaseTim", "unknown key")]
    [InlineData("""{ "leaseTime": -5 }""", "$.leaseTime", "whole number")]
    [InlineData("""{ "leaseCommitDelayMs": 500 }""", "$.leaseCommitDelayMs", "from 0 to 100")]
    [InlineData("""{ "options": { "router": "192.168.1" } }""", "$.options.router", "IPv4")]
    [InlineData("""{ "options": { "noSuchOption": 1 } }""", "$.options.noSuchOption", "no DHCP option")]
    [InlineData("""{ "options": { "53": "01" } }""", "$.options.53", "set by the server")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "reservations": [ { "mac": "zz", "address": "10.0.0.5" } ] } ] }""", "$.subnets[0].reservations[0].mac", "hardware address")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "reservations": [ { "address": "10.0.0.5" } ] } ] }""", "$.subnets[0].reservations[0]", "exactly one of mac")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "reservations": [ { "mac": "52:54:00:00:00:01", "address": "10.0.1.5" } ] } ] }""", "$.subnets[0].reservations[0].address", "not inside subnet")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "pools": [ { "range": "10.0.0.10-10.0.0.20" }, { "range": "10.0.0.15-10.0.0.30" } ] } ] }""", "$.subnets[0].pools[1].range", "overlaps")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24" }, { "subnet": "10.0.0.0/16" } ] }""", "$.subnets[1].subnet", "overlaps")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "pools": [ { "range": "10.0.0.10-10.0.0.20", "classes": ["ghost"] } ] } ] }""", "$.subnets[0].pools[0].classes", "no class is named")]
    [InlineData("""{ "classes": [ { "name": "x", "match": { "architecture": ["amiga"] } } ] }""", "$.classes[0].match.architecture[0]", "not an architecture")]
    [InlineData("""{ "classes": [ { "name": "x", "match": {} } ] }""", "$.classes[0].match", "at least one condition")]
    [InlineData("""{ "alwaysSend": ["router", "nope"] }""", "$.alwaysSend[1]", "option name")]
    [InlineData("""{ "renewalTime": 100, "rebindingTime": 50 }""", "$.renewalTime", "shorter than rebindingTime")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "pools": [ { "range": "10.0.0.20-10.0.0.10" } ] } ] }""", "$.subnets[0].pools[0].range", "ends before")]
    [InlineData("""{ "renewalTime": 1800, "rebindingTime": 3000, "subnets": [ { "subnet": "10.0.0.0/24", "leaseTime": 600 } ] }""", "$.subnets[0].leaseTime", "600 s is not longer than renewalTime (1800 s)")]
    [InlineData("""{ "rebindingTime": 3000, "subnets": [ { "subnet": "10.0.0.0/24", "leaseTime": 2000 } ] }""", "$.subnets[0].leaseTime", "2000 s is not longer than rebindingTime (3000 s)")]
    [InlineData("""{ "renewalTime": 1800, "subnets": [ { "subnet": "10.0.0.0/24", "leaseTime": 2000 } ] }""", "$.subnets[0].leaseTime", "makes the default rebindingTime 1750 s (0.875 of it), not longer than renewalTime (1800 s)")]
    [InlineData("""{ "leaseTime": 600, "renewalTime": 1800 }""", "$.leaseTime", "600 s is not longer than renewalTime (1800 s)")]
    [InlineData("""{ "leaseTime": 7200, "renewalTime": 1800, "rebindingTime": 7200 }""", "$.leaseTime", "7200 s is not longer than rebindingTime (7200 s)")]
    [InlineData("""{ "renewalTime": 4000 }""", "$.leaseTime", "3600 s (the default) is not longer than renewalTime (4000 s)")]
    [InlineData("""{ "subnets": [ """, "config", "not valid JSON")]
    public void Bad_configuration_is_refused_with_the_key_and_reason(string json, string key, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() => DhcpServerConfigurationLoader.Parse(json));
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith(key + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subnet_lease_times_longer_than_t1_and_t2_are_accepted()
    {
        var settings = DhcpServerConfigurationLoader.Parse("""{ "renewalTime": 1800, "rebindingTime": 3000, "subnets": [ { "subnet": "10.0.0.0/24", "leaseTime": 3600 } ] }""");
        Assert.Equal(TimeSpan.FromSeconds(3600), settings.Server.Subnets[0].LeaseTime);
        Assert.Equal(TimeSpan.FromSeconds(1800), settings.Server.RenewalTime);
    }

    [Fact]
    public void Options_are_typed_through_the_option_table_at_every_level()
    {
        var settings = DhcpServerConfigurationLoader.Parse("""
            {
              "options": { "dns": "192.0.2.53", "224": "0a0b" },
              "subnets": [ {
                "subnet": "192.0.2.0/24",
                "options": { "router": ["192.0.2.1"], "classlessRoute": [ { "destination": "10.0.0.0/8", "router": "192.0.2.254" } ] },
                "pools": [ { "range": "192.0.2.10-192.0.2.20", "exclude": "192.0.2.15", "options": { "leaseTime": 60 } } ]
              } ]
            }
            """);
        Assert.True(settings.Server.Options.TryGet(6, out var dns));
        Assert.Equal(new byte[] { 192, 0, 2, 53 }, dns);
        Assert.True(settings.Server.Options.TryGet(224, out var raw));
        Assert.Equal(new byte[] { 10, 11 }, raw);
        var subnet = settings.Server.Subnets[0];
        Assert.True(subnet.Options.TryGet(121, out var routes));
        Assert.Equal(new byte[] { 8, 10, 192, 0, 2, 254 }, routes);
        Assert.Equal(IPv4Address.Parse("192.0.2.15"), subnet.Pools[0].Exclusions[0].First);
    }
}
