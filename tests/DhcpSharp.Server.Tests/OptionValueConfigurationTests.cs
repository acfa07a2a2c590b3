using System.Text.Json;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Tests;

/// <summary>Option values in configuration files, read by the configuration layer over the option table.</summary>
public class OptionValueConfigurationTests
{
    private static readonly DhcpOptionSpace Table = DhcpOptionSpaces.Dhcp4;

    [Fact]
    public void Config_values_encode_through_the_table()
    {
        using var config = JsonDocument.Parse("""
            { "router": ["192.0.2.1"], "dns": "192.0.2.53", "leaseTime": 3600, "hostname": "pc",
              "classlessRoute": [{ "destination": "10.0.0.0/8", "router": "192.0.2.1" }],
              "domainSearchList": ["example.com", "lab.example.com"], "ipForwarding": false,
              "requestParameter": ["netmask", 3, "dns"], "vendor": { "discoveryControl": 8 },
              "relayAgentInformation": { "circuitId": "657468" }, "messageType": "ACK" }
            """);
        var encoded = new Dictionary<string, byte[]>();
        foreach (var property in config.RootElement.EnumerateObject())
        {
            Assert.True(Table.TryGet(property.Name, out var definition), property.Name);
            Assert.True(OptionValueConfiguration.TryEncode(definition, property.Value, out var data, out var error), $"{property.Name}: {error}");
            encoded[property.Name] = data;
        }

        Assert.Equal(new byte[] { 192, 0, 2, 53 }, encoded["dns"]);
        Assert.Equal(new byte[] { 0, 0, 0x0e, 0x10 }, encoded["leaseTime"]);
        Assert.Equal(new byte[] { 8, 10, 192, 0, 2, 1 }, encoded["classlessRoute"]);
        Assert.Equal(new byte[] { 1, 3, 6 }, encoded["requestParameter"]);
        Assert.Equal(new byte[] { 6, 1, 8, 255 }, encoded["vendor"]);
        Assert.Equal(new byte[] { 1, 3, 0x65, 0x74, 0x68 }, encoded["relayAgentInformation"]);
        Assert.Equal(new byte[] { 5 }, encoded["messageType"]);
    }

    [Theory]
    [InlineData("router", "\"192.0.2\"", "IPv4")]
    [InlineData("leaseTime", "-1", "whole number")]
    [InlineData("leaseTime", "\"1h\"", "whole number")]
    [InlineData("requestParameter", "[\"noSuchOption\"]", "noSuchOption")]
    [InlineData("classlessRoute", "[{ \"destination\": \"10.0.0.1/8\", \"router\": \"192.0.2.1\" }]", "host bits")]
    [InlineData("ipForwarding", "1", "true or false")]
    public void Bad_config_values_say_why(string key, string json, string expected)
    {
        Assert.True(Table.TryGet(key, out var definition));
        using var document = JsonDocument.Parse(json);
        Assert.False(OptionValueConfiguration.TryEncode(definition, document.RootElement, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_definition_survives_decode_encode_of_its_own_encoding()
    {
        // Whatever a definition writes, it must read back to the same bytes.
        var samples = new Dictionary<string, string>
        {
            ["ipv4"] = "\"192.0.2.1\"", ["ipv4-list"] = "[\"192.0.2.1\", \"192.0.2.2\"]", ["ipv4-pairs"] = "[[\"10.0.0.0\", \"255.0.0.0\"]]",
            ["u8"] = "7", ["u16"] = "1500", ["u32"] = "86400", ["i32"] = "-3600", ["u8-list"] = "[1, 2]", ["u16-list"] = "[576, 1500]",
            ["flag"] = "true", ["presence"] = "true", ["text"] = "\"hello\"", ["binary"] = "\"0a0b\"",
            ["client-identifier"] = "\"01:52:54:00:00:00:01\"", ["parameter-request-list"] = "[1, 3, 6]",
            ["classless-routes"] = "[{ \"destination\": \"0.0.0.0/0\", \"router\": \"192.0.2.1\" }]",
            ["domain-search-list"] = "[\"a.example\", \"b.example\"]", ["client-fqdn"] = "\"host.example\"",
            ["client-ndi"] = "{ \"type\": 1, \"major\": 3, \"minor\": 16 }", ["client-uuid"] = "\"8a0c1c2e-5ca1-4e00-9d00-0000c6000001\"",
            ["user-class"] = "[\"iPXE\"]", ["client-architecture-list"] = "[\"uefi-x64\", 0]",
            ["vendor-specific"] = "{ \"discoveryControl\": 8 }", ["relay-agent-information"] = "{ \"circuitId\": \"01\" }",
            ["ipxe-encapsulated"] = "{ \"noPxeDhcp\": 1 }", ["vendor-identifying-options"] = "[{ \"enterprise\": 3561, \"options\": { \"1\": \"aa\" } }]",
            ["message-type"] = "\"OFFER\"", ["overload"] = "\"both\"", ["netbios-node-type"] = "\"H-node\"", ["auto-configure"] = "1",
        };
        foreach (var definition in Table.Definitions)
        {
            if (definition.KindName == "vendor-identifying-class")
            {
                continue; // client-only, not configurable
            }

            Assert.True(samples.TryGetValue(definition.KindName, out var json), $"no sample for kind {definition.KindName}");
            using var document = JsonDocument.Parse(json);
            Assert.True(OptionValueConfiguration.TryEncode(definition, document.RootElement, out var data, out var error), $"{definition}: {error}");
            Assert.True(definition.TryFormat(data, out _, out error), $"{definition}: {error}");
        }
    }

    [Fact]
    public void Options_registered_at_run_time_with_a_stock_codec_are_configurable()
    {
        var custom = new DhcpOptionDefinition<string>(224, "Site Config URL", "siteConfigUrl", OptionCodecs.Text);
        using var document = JsonDocument.Parse("\"http://config/\"");
        Assert.True(OptionValueConfiguration.TryEncode(custom, document.RootElement, out var data, out var error), error);
        Assert.Equal("http://config/"u8.ToArray(), data);

        var servers = new DhcpOptionDefinition<IReadOnlyList<DhcpSharp.Protocol.IPv4Address>>(225, "Site servers", "siteServers", OptionCodecs.IPv4List);
        using var list = JsonDocument.Parse("[\"192.0.2.1\", \"192.0.2.2\"]");
        Assert.True(OptionValueConfiguration.TryEncode(servers, list.RootElement, out data, out error), error);
        Assert.Equal(new byte[] { 192, 0, 2, 1, 192, 0, 2, 2 }, data);
    }

    [Fact]
    public void A_kind_without_a_configuration_form_takes_hex_and_says_so()
    {
        var custom = new DhcpOptionDefinition<Version>(226, "Firmware version", "firmwareVersion", new VersionCodec());
        using var hex = JsonDocument.Parse("\"01:02\"");
        Assert.True(OptionValueConfiguration.TryEncode(custom, hex.RootElement, out var data, out var error), error);
        Assert.Equal(new byte[] { 1, 2 }, data);

        using var text = JsonDocument.Parse("\"1.2\"");
        Assert.False(OptionValueConfiguration.TryEncode(custom, text.RootElement, out _, out error));
        Assert.Contains("option 226 (version) has no configuration form; give its value as hex bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_without_a_definition_take_hex()
    {
        using var good = JsonDocument.Parse("\"0a0b\"");
        Assert.True(OptionValueConfiguration.TryEncodeUndefined(good.RootElement, out var data, out _));
        Assert.Equal(new byte[] { 10, 11 }, data);
        using var bad = JsonDocument.Parse("12");
        Assert.False(OptionValueConfiguration.TryEncodeUndefined(bad.RootElement, out _, out var error));
        Assert.Contains("expected hex bytes", error, StringComparison.Ordinal);
    }

    /// <summary>A codec of an application's own, of a value type the configuration layer has no form for.</summary>
    private sealed class VersionCodec : OptionValueCodec<Version>
    {
        public override string KindName => "version";

        public override bool TryDecode(ReadOnlySpan<byte> data, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Version value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
        {
            value = data.Length == 2 ? new Version(data[0], data[1]) : null;
            error = value is null ? "two bytes" : null;
            return value is not null;
        }

        public override byte[] Encode(Version value) => [(byte)value.Major, (byte)value.Minor];

        public override string Format(Version value) => value.ToString();

        public override void WriteJson(Utf8JsonWriter writer, Version value) => writer.WriteStringValue(value.ToString());
    }
}
