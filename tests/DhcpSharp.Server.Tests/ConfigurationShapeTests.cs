using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Configuration.FileModel;

namespace DhcpSharp.Server.Tests;

/// <summary>What the shape check refuses before System.Text.Json reads the file model, and how it names it.</summary>
public class ConfigurationShapeTests
{
    [Theory]
    [InlineData("""{ "port": "abc" }""", "$.port", "expected a whole number from 1 to 65535, got \"abc\"")]
    [InlineData("""{ "port": 1.5 }""", "$.port", "expected a whole number from 1 to 65535, got 1.5")]
    [InlineData("""{ "subnets": {} }""", "$.subnets", "expected an array, got object")]
    [InlineData("""{ "subnets": [ 5 ] }""", "$.subnets[0]", "expected an object, got number")]
    [InlineData("""{ "options": [] }""", "$.options", "expected an object, got array")]
    [InlineData("""{ "interfaces": ["eth0", 3] }""", "$.interfaces[1]", "expected a non-empty string")]
    [InlineData("""{ "interfaces": 3 }""", "$.interfaces", "expected an array, got number")]
    [InlineData("""{ "alwaysSend": "router" }""", "$.alwaysSend", "expected an array, got string")]
    [InlineData("""{ "authoritative": null }""", "$.authoritative", "expected true or false, got null")]
    [InlineData("""{ "leaseFile": "" }""", "$.leaseFile", "expected a non-empty string, got \"\"")]
    [InlineData("""{ "offerTime": 4294967295 }""", "$.offerTime", "expected a whole number from 1 to 4294967294, got 4294967295")]
    [InlineData("""{ "subnets": [ {} ] }""", "$.subnets[0].subnet", "is required (for example \"192.168.1.0/24\")")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "pools": [ {} ] } ] }""", "$.subnets[0].pools[0].range", "is required (for example \"192.168.1.100-192.168.1.200\")")]
    [InlineData("""{ "classes": [ { "match": { "userClass": "x" } } ] }""", "$.classes[0].name", "is required")]
    [InlineData("""{ "classes": [ { "name": "x" } ] }""", "$.classes[0].match", "is required (at least one condition)")]
    [InlineData("""{ "classes": [ { "name": "x", "match": { "arch": 7 } } ] }""", "$.classes[0].match.arch", "unknown key; expected one of vendorClassPrefix, vendorClassContains, userClass, architecture, circuitId, remoteId, macPrefix")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "reservations": [ { "ip": "10.0.0.5" } ] } ] }""", "$.subnets[0].reservations[0].ip", "unknown key; expected one of mac, macPrefix, clientId, address, hostname, options")]
    [InlineData("""{ "subnets": [ { "subnet": "10.0.0.0/24", "pools": [ { "range": "10.0.0.1", "exclude": 5 } ] } ] }""", "$.subnets[0].pools[0].exclude", "expected an array, got number")]
    [InlineData("""[]""", "$", "expected an object, got array")]
    public void Wrong_shapes_are_refused_with_the_path_and_reason(string json, string key, string reason)
    {
        var error = Assert.Throws<ConfigurationException>(() => DhcpServerConfigurationLoader.Parse(json));
        Assert.Equal(key, error.Key);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Unknown_key_lists_the_keys_of_the_model()
    {
        var error = Assert.Throws<ConfigurationException>(() => DhcpServerConfigurationLoader.Parse("""{ "leaseTim": 60 }"""));
        var keys = ConfigurationShapeCheck.KeysOf(DhcpServerJsonContext.Default.DhcpServerSection).ToList();
        Assert.Equal($"unknown key; expected one of {string.Join(", ", keys)}", error.Reason);
        Assert.Equal("interfaces", keys[0]);
        Assert.Equal("subnets", keys[^1]);
        Assert.DoesNotContain("$schema", keys);
    }

    [Fact]
    public void Schema_key_comments_and_trailing_commas_are_accepted()
    {
        var settings = DhcpServerConfigurationLoader.Parse("""
            {
              "$schema": "../schemas/dhcpsharp.schema.json", // editors
              /* a block comment */
              "interfaces": "eth0",
              "alwaysSend": [42, "domainName",],
            }
            """);
        Assert.Equal(["eth0"], settings.Interfaces);
        Assert.Equal(new byte[] { 42, 15 }, settings.Server.AlwaysSend);
    }
}
