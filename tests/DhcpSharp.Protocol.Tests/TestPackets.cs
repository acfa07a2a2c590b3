using DhcpSharp.Protocol;

namespace DhcpSharp.Protocol.Tests;

/// <summary>Builds wire messages by hand so tests control every byte.</summary>
internal static class TestPackets
{
    public static readonly byte[] Mac = [0x52, 0x54, 0x00, 0xc6, 0x00, 0x01];

    /// <summary>A 240-byte header (cookie included) followed by <paramref name="options"/> verbatim.</summary>
    public static byte[] Build(ReadOnlySpan<byte> options, byte op = 1, byte htype = 1, byte hlen = 6, uint xid = 0x11223344)
    {
        var packet = new byte[DhcpHeaderLayout.Options + options.Length];
        packet[0] = op;
        packet[1] = htype;
        packet[2] = hlen;
        packet[4] = (byte)(xid >> 24);
        packet[5] = (byte)(xid >> 16);
        packet[6] = (byte)(xid >> 8);
        packet[7] = (byte)xid;
        Mac.CopyTo(packet.AsSpan(DhcpHeaderLayout.ClientHardwareAddress));
        packet[236] = 0x63;
        packet[237] = 0x82;
        packet[238] = 0x53;
        packet[239] = 0x63;
        options.CopyTo(packet.AsSpan(DhcpHeaderLayout.Options));
        return packet;
    }

    public static DhcpMessage Discover()
    {
        var message = new DhcpMessage { TransactionId = 0xc3206951, ClientHardwareAddress = Mac };
        message.MessageType = DhcpMessageType.Discover;
        return message;
    }
}
