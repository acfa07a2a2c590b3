using DhcpSharp.Protocol;

namespace DhcpSharp.Protocol.Tests;

public class PacketReaderTests
{
    [Fact]
    public void Reads_header_fields_and_message_type()
    {
        var packet = TestPackets.Build([53, 1, 1, 255]);
        Assert.True(DhcpPacketReader.TryRead(packet, out var reader, out _));
        Assert.Equal(BootOperation.Request, reader.Operation);
        Assert.Equal(0x11223344u, reader.TransactionId);
        Assert.Equal(TestPackets.Mac, reader.ClientHardwareAddress.ToArray());
        Assert.Equal(DhcpMessageType.Discover, reader.MessageType);
        Assert.False(reader.IsBootp);
    }

    [Fact]
    public void Message_without_option_53_is_bootp()
    {
        var packet = TestPackets.Build([1, 4, 255, 255, 255, 0, 255]);
        var reader = DhcpPacketReader.Read(packet);
        Assert.True(reader.IsBootp);
        Assert.Equal("BOOTP", reader.MessageType.ToWireName());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(239)]
    public void Short_input_is_a_typed_error(int length)
    {
        Assert.False(DhcpPacketReader.TryRead(new byte[length], out _, out var error));
        Assert.Equal(DhcpParseErrorKind.TooShort, error.Kind);
        Assert.Contains("240", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_cookie_is_rejected_at_offset_236()
    {
        var packet = TestPackets.Build([255]);
        packet[239] = 0x64;
        Assert.False(DhcpPacketReader.TryRead(packet, out _, out var error));
        Assert.Equal(DhcpParseErrorKind.BadMagicCookie, error.Kind);
        Assert.Equal(236, error.Offset);
    }

    [Fact]
    public void Hardware_address_up_to_16_bytes_is_accepted_and_17_is_not()
    {
        var infiniband = TestPackets.Build([255], htype: 32, hlen: 16);
        Assert.True(DhcpPacketReader.TryRead(infiniband, out var reader, out _));
        Assert.Equal(32, reader.HardwareType);
        Assert.Equal(16, reader.ClientHardwareAddress.Length);

        var tooLong = TestPackets.Build([255], hlen: 17);
        Assert.False(DhcpPacketReader.TryRead(tooLong, out _, out var error));
        Assert.Equal(DhcpParseErrorKind.BadHardwareAddressLength, error.Kind);
        Assert.Equal(2, error.Offset);
    }

    [Fact]
    public void Truncated_option_reports_its_offset()
    {
        // 53 ok, then option 12 claims 10 bytes but only 3 follow.
        var packet = TestPackets.Build([53, 1, 1, 12, 10, (byte)'a', (byte)'b', (byte)'c']);
        Assert.False(DhcpPacketReader.TryRead(packet, out _, out var error));
        Assert.Equal(DhcpParseErrorKind.TruncatedOption, error.Kind);
        Assert.Equal(243, error.Offset);
        Assert.Contains("option 12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_length_byte_at_the_very_end_is_truncation()
    {
        var packet = TestPackets.Build([53, 1, 1, 12]);
        Assert.False(DhcpPacketReader.TryRead(packet, out _, out var error));
        Assert.Equal(DhcpParseErrorKind.TruncatedOption, error.Kind);
        Assert.Equal(243, error.Offset);
    }

    [Fact]
    public void Pad_is_one_byte_so_the_next_option_is_not_skipped()
    {
        // node-dhcp skipped the byte after every PAD, misreading what follows.
        var packet = TestPackets.Build([0, 53, 1, 3, 0, 0, 12, 2, (byte)'h', (byte)'i', 255]);
        var reader = DhcpPacketReader.Read(packet);
        Assert.Equal(DhcpMessageType.Request, reader.MessageType);
        Assert.True(reader.TryGetOption(12, out var name));
        Assert.Equal("hi"u8.ToArray(), name.ToArray());
    }

    [Fact]
    public void Odd_length_option_does_not_desynchronise_the_rest()
    {
        // Option 20 (a flag) with 3 bytes instead of 1: the length byte still decides where 53 starts.
        var packet = TestPackets.Build([20, 3, 1, 2, 3, 53, 1, 5, 255]);
        var reader = DhcpPacketReader.Read(packet);
        Assert.Equal(DhcpMessageType.Ack, reader.MessageType);
    }

    [Fact]
    public void Missing_end_option_is_tolerated()
    {
        var reader = DhcpPacketReader.Read(TestPackets.Build([53, 1, 1]));
        Assert.Equal(DhcpMessageType.Discover, reader.MessageType);
    }

    [Fact]
    public void Bytes_after_end_are_ignored()
    {
        var reader = DhcpPacketReader.Read(TestPackets.Build([53, 1, 1, 255, 12, 200]));
        Assert.False(reader.HasOption(12));
    }

    [Fact]
    public void Repeated_option_is_joined_in_order_rfc3396()
    {
        var packet = TestPackets.Build([53, 1, 1, 12, 2, (byte)'a', (byte)'b', 3, 4, 1, 2, 3, 4, 12, 1, (byte)'c', 255]);
        var reader = DhcpPacketReader.Read(packet);
        Assert.True(reader.TryGetOption(12, out var value));
        Assert.Equal("abc"u8.ToArray(), value.ToArray());

        var message = DhcpMessage.Parse(packet);
        Assert.Equal("abc"u8.ToArray(), message.Options.GetRaw(12));
    }

    [Fact]
    public void Overloaded_file_and_sname_are_read_after_the_options_field()
    {
        var packet = TestPackets.Build([53, 1, 2, 52, 1, 3, 12, 1, (byte)'a', 255]);
        // file: rest of option 12 + option 67; sname: option 66.
        byte[] file = [12, 1, (byte)'b', 67, 3, (byte)'x', (byte)'.', (byte)'y', 255];
        byte[] sname = [66, 2, (byte)'t', (byte)'s', 255];
        file.CopyTo(packet.AsSpan(DhcpHeaderLayout.BootFile));
        sname.CopyTo(packet.AsSpan(DhcpHeaderLayout.ServerName));

        var reader = DhcpPacketReader.Read(packet);
        Assert.Equal(OptionOverload.Both, reader.Overload);
        Assert.True(reader.BootFile.IsEmpty);
        Assert.True(reader.ServerName.IsEmpty);
        Assert.True(reader.TryGetOption(12, out var host));
        Assert.Equal("ab"u8.ToArray(), host.ToArray());

        var message = DhcpMessage.Parse(packet);
        Assert.Equal("", message.BootFileName);
        Assert.Equal("x.y"u8.ToArray(), message.Options.GetRaw(67));
        Assert.Equal("ts"u8.ToArray(), message.Options.GetRaw(66));
        Assert.Equal(new byte[] { 53, 52, 12, 67, 66 }, message.Options.Select(o => o.Code).ToArray());
    }

    [Fact]
    public void Truncation_inside_an_overloaded_field_is_reported_there()
    {
        var packet = TestPackets.Build([53, 1, 2, 52, 1, 1, 255]);
        packet[DhcpHeaderLayout.BootFile + 126] = 12;
        packet[DhcpHeaderLayout.BootFile + 127] = 5;
        Assert.False(DhcpPacketReader.TryRead(packet, out _, out var error));
        Assert.Equal(DhcpHeaderLayout.BootFile + 126, error.Offset);
        Assert.Contains("file field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_overload_value_is_rejected()
    {
        Assert.False(DhcpPacketReader.TryRead(TestPackets.Build([52, 1, 4, 255]), out _, out var error));
        Assert.Equal(DhcpParseErrorKind.BadOverload, error.Kind);
        Assert.Equal(240, error.Offset);
    }

    [Fact]
    public void Sname_and_file_stop_at_nul()
    {
        var packet = TestPackets.Build([255]);
        "server"u8.CopyTo(packet.AsSpan(DhcpHeaderLayout.ServerName));
        "pxelinux.0"u8.CopyTo(packet.AsSpan(DhcpHeaderLayout.BootFile));
        var reader = DhcpPacketReader.Read(packet);
        Assert.Equal("server"u8.ToArray(), reader.ServerName.ToArray());
        Assert.Equal("pxelinux.0"u8.ToArray(), reader.BootFile.ToArray());
    }

    [Fact]
    public void Parse_throws_only_the_parse_exception()
    {
        var exception = Assert.Throws<DhcpParseException>(() => DhcpMessage.Parse(new byte[10]));
        Assert.Equal(DhcpParseErrorKind.TooShort, exception.Error.Kind);
    }
}
