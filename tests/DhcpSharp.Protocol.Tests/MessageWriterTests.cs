using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Protocol.Tests;

public class MessageWriterTests
{
    [Fact]
    public void Message_type_goes_first_and_relay_agent_last()
    {
        var message = TestPackets.Discover();
        message.Options.Remove(DhcpOptionCode.MessageType);
        message.Options.Set(DhcpOptions.RelayAgentInformation, [new SubOption(1, [1, 2])]);
        message.Options.Set(DhcpOptions.HostName, "pc");
        message.MessageType = DhcpMessageType.Request;

        var bytes = message.ToArray();
        Assert.Equal(53, bytes[240]);
        var reader = DhcpPacketReader.Read(bytes);
        var codes = new List<byte>();
        foreach (var option in reader.GetRawOptions())
        {
            codes.Add(option.Code);
        }

        Assert.Equal(new byte[] { 53, 12, 82 }, codes.ToArray());
        int endIndex = Array.IndexOf(bytes, (byte)255, 240);
        Assert.Equal(82, bytes[endIndex - 6]);
    }

    [Fact]
    public void Short_messages_are_padded_to_300_bytes()
    {
        var bytes = TestPackets.Discover().ToArray();
        Assert.Equal(300, bytes.Length);
        Assert.Equal(new byte[] { 53, 1, 1, 255 }, bytes[240..244]);
        Assert.All(bytes[244..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Values_over_255_bytes_are_split_and_joined_back()
    {
        var message = TestPackets.Discover();
        var big = Enumerable.Range(0, 600).Select(i => (byte)i).ToArray();
        message.Options.SetRaw(224, big);

        var bytes = message.ToArray(1500);
        var parts = new List<int>();
        foreach (var option in DhcpPacketReader.Read(bytes).GetRawOptions())
        {
            if (option.Code == 224)
            {
                parts.Add(option.Value.Length);
            }
        }

        Assert.Equal(new[] { 255, 255, 90 }, parts.ToArray());
        Assert.Equal(big, DhcpMessage.Parse(bytes).Options.GetRaw(224));
    }

    [Fact]
    public void Reply_never_exceeds_the_default_576_and_overloads_only_then()
    {
        var message = TestPackets.Discover();
        message.Options.Set(DhcpOptions.DomainNameServers, Enumerable.Range(1, 20).Select(i => new IPv4Address((uint)i)).ToArray());
        var small = message.ToArray();
        Assert.False(DhcpPacketReader.Read(small).HasOption(DhcpOptionCode.Overload));

        // 300 more bytes of options cannot fit in 548 - 240 = 308 bytes of options field.
        message.Options.SetRaw(224, new byte[200]);
        message.Options.SetRaw(225, new byte[100]);
        var bytes = message.ToArray();
        Assert.True(bytes.Length <= 548, $"payload {bytes.Length} > 548");
        var reader = DhcpPacketReader.Read(bytes);
        Assert.NotEqual(OptionOverload.None, reader.Overload);
        var parsed = DhcpMessage.Parse(bytes);
        Assert.Equal(new byte[200], parsed.Options.GetRaw(224));
        Assert.Equal(new byte[100], parsed.Options.GetRaw(225));

        // With a client that accepts 1500 bytes, no overload is needed.
        Assert.False(DhcpPacketReader.Read(message.ToArray(1500)).HasOption(DhcpOptionCode.Overload));
    }

    [Fact]
    public void Options_that_fit_nowhere_are_reported_not_written_past_the_limit()
    {
        var message = TestPackets.Discover();
        message.BootFileName = "pxelinux.0"; // file is in use, so only sname could take overflow
        message.Options.SetRaw(224, new byte[400]);
        var buffer = new byte[DhcpMessageWriter.MaximumPayload];
        var result = DhcpMessageWriter.Write(message, buffer);
        Assert.True(result.Length <= 548);
        Assert.Equal(new byte[] { 224 }, result.OmittedOptions.ToArray());
        Assert.Equal("pxelinux.0", DhcpMessage.Parse(buffer.AsSpan(0, result.Length)).BootFileName);
    }

    [Fact]
    public void Header_fields_round_trip()
    {
        var message = new DhcpMessage
        {
            Operation = BootOperation.Reply,
            HardwareType = 6,
            Hops = 2,
            TransactionId = 0xdeadbeef,
            Seconds = 7,
            IsBroadcast = true,
            ClientAddress = IPv4Address.Parse("10.0.0.1"),
            YourAddress = IPv4Address.Parse("10.0.0.2"),
            ServerAddress = IPv4Address.Parse("10.0.0.3"),
            GatewayAddress = IPv4Address.Parse("10.0.0.4"),
            ClientHardwareAddress = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(),
            ServerName = "boot-server",
            BootFileName = "ipxe.efi",
        };
        var parsed = DhcpMessage.Parse(message.ToArray());
        Assert.Equal(BootOperation.Reply, parsed.Operation);
        Assert.Equal(6, parsed.HardwareType);
        Assert.Equal(16, parsed.HardwareAddressLength);
        Assert.Equal(2, parsed.Hops);
        Assert.Equal(0xdeadbeefu, parsed.TransactionId);
        Assert.Equal(7, parsed.Seconds);
        Assert.True(parsed.IsBroadcast);
        Assert.Equal("10.0.0.1", parsed.ClientAddress.ToString());
        Assert.Equal("10.0.0.2", parsed.YourAddress.ToString());
        Assert.Equal("10.0.0.3", parsed.ServerAddress.ToString());
        Assert.Equal("10.0.0.4", parsed.GatewayAddress.ToString());
        Assert.Equal("boot-server", parsed.ServerName);
        Assert.Equal("ipxe.efi", parsed.BootFileName);
        Assert.True(parsed.IsBootp);
    }

    [Fact]
    public void Unknown_options_are_written_back_unchanged()
    {
        var packet = TestPackets.Build([53, 1, 1, 224, 3, 9, 8, 7, 254, 0, 255]);
        var parsed = DhcpMessage.Parse(packet);
        Assert.Equal(new byte[] { 9, 8, 7 }, parsed.Options.GetRaw(224));
        Assert.Equal(Array.Empty<byte>(), parsed.Options.GetRaw(254));
        var again = DhcpMessage.Parse(parsed.ToArray());
        Assert.Equal(new byte[] { 9, 8, 7 }, again.Options.GetRaw(224));
        Assert.True(again.Options.Contains(254));
    }

    [Fact]
    public void Reply_copies_what_rfc2131_table_3_says()
    {
        var request = TestPackets.Discover();
        request.GatewayAddress = IPv4Address.Parse("192.0.2.1");
        request.IsBroadcast = true;
        var reply = request.CreateReply(DhcpMessageType.Offer);
        Assert.Equal(BootOperation.Reply, reply.Operation);
        Assert.Equal(request.TransactionId, reply.TransactionId);
        Assert.Equal(request.GatewayAddress, reply.GatewayAddress);
        Assert.True(reply.IsBroadcast);
        Assert.Equal(TestPackets.Mac, reply.ClientHardwareAddress.ToArray());
        Assert.Equal(DhcpMessageType.Offer, reply.MessageType);
    }

    [Fact]
    public void Pad_and_end_cannot_be_set_as_options()
    {
        var message = new DhcpMessage();
        Assert.Throws<ArgumentOutOfRangeException>(() => message.Options.SetRaw(0, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => message.Options.SetRaw(255, [1]));
    }
}
