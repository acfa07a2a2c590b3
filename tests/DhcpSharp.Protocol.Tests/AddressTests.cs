using DhcpSharp.Protocol;

namespace DhcpSharp.Protocol.Tests;

public class AddressTests
{
    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("192.168.1.254", 0xC0A801FEu)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("128.0.0.1", 0x80000001u)]
    public void Ipv4_parses_and_formats(string text, uint value)
    {
        Assert.True(IPv4Address.TryParse(text, out var address));
        Assert.Equal(value, address.Value);
        Assert.Equal(text, address.ToString());
        Assert.Equal(text, address.ToIPAddress().ToString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3.4.5")]
    [InlineData("a.b.c.d")]
    [InlineData("")]
    [InlineData("1..2.3")]
    public void Ipv4_rejects_non_dotted_quads(string text) => Assert.False(IPv4Address.TryParse(text, out _));

    [Fact]
    public void Ipv4_orders_unsigned_across_128()
    {
        // node-dhcp's signed parse broke ranges across 128.0.0.0.
        Assert.True(IPv4Address.Parse("127.255.255.255") < IPv4Address.Parse("128.0.0.0"));
    }

    [Theory]
    [InlineData("aa:bb:cc:dd:ee:ff")]
    [InlineData("AA-BB-CC-DD-EE-FF")]
    [InlineData("aabbccddeeff")]
    public void Hardware_addresses_parse_in_common_forms(string text)
    {
        Assert.True(HardwareAddress.TryParse(text, out var bytes));
        Assert.Equal("aa:bb:cc:dd:ee:ff", HardwareAddress.Format(bytes));
    }

    [Fact]
    public void Hardware_address_rejects_garbage() => Assert.False(HardwareAddress.TryParse("zz:00", out _));
}
