using System.Buffers.Binary;

namespace DhcpSharp.Protocol.Capture;

/// <summary>A UDP/IPv4 datagram lifted out of a captured frame.</summary>
public readonly record struct UdpDatagram(IPv4Address Source, ushort SourcePort, IPv4Address Destination, ushort DestinationPort, ReadOnlyMemory<byte> Payload);

/// <summary>Strips link, IPv4 and UDP headers by arithmetic. Fragments and non-UDP frames are skipped.</summary>
public static class UdpDatagramExtractor
{
    public const int LinkTypeNull = 0;
    public const int LinkTypeEthernet = 1;
    public const int LinkTypeRaw = 101;
    public const int LinkTypeLinuxSll = 113;
    public const int LinkTypeLinuxSll2 = 276;

    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeVlan = 0x8100;
    private const ushort EtherTypeQinQ = 0x88a8;

    public static bool IsSupportedLinkType(int linkType) =>
        linkType is LinkTypeNull or LinkTypeEthernet or LinkTypeRaw or LinkTypeLinuxSll or LinkTypeLinuxSll2 or 12 or 14;

    public static bool TryExtract(int linkType, ReadOnlyMemory<byte> frame, out UdpDatagram datagram)
    {
        datagram = default;
        var span = frame.Span;
        int ipStart;
        switch (linkType)
        {
            case LinkTypeEthernet:
                if (span.Length < 14)
                {
                    return false;
                }

                int typeOffset = 12;
                ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(span[typeOffset..]);
                while (etherType is EtherTypeVlan or EtherTypeQinQ && span.Length >= typeOffset + 6)
                {
                    typeOffset += 4;
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(span[typeOffset..]);
                }

                if (etherType != EtherTypeIPv4)
                {
                    return false;
                }

                ipStart = typeOffset + 2;
                break;
            case LinkTypeLinuxSll:
                if (span.Length < 16 || BinaryPrimitives.ReadUInt16BigEndian(span[14..]) != EtherTypeIPv4)
                {
                    return false;
                }

                ipStart = 16;
                break;
            case LinkTypeLinuxSll2:
                if (span.Length < 20 || BinaryPrimitives.ReadUInt16BigEndian(span) != EtherTypeIPv4)
                {
                    return false;
                }

                ipStart = 20;
                break;
            case LinkTypeNull:
                ipStart = 4; // 4-byte address family in the capturing host's byte order
                break;
            case LinkTypeRaw or 12 or 14:
                ipStart = 0;
                break;
            default:
                return false;
        }

        return TryExtractIPv4(frame[ipStart..], out datagram);
    }

    private static bool TryExtractIPv4(ReadOnlyMemory<byte> packet, out UdpDatagram datagram)
    {
        datagram = default;
        var ip = packet.Span;
        if (ip.Length < 20 || (ip[0] >> 4) != 4)
        {
            return false;
        }

        int headerLength = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        bool isFragment = (fragment & 0x1FFF) != 0 || (fragment & 0x2000) != 0;
        if (headerLength < 20 || ip[9] != 17 || isFragment || totalLength < headerLength + 8)
        {
            return false;
        }

        int available = Math.Min(totalLength, ip.Length);
        if (available < headerLength + 8)
        {
            return false;
        }

        var udp = ip[headerLength..];
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        int payloadLength = Math.Min(udpLength, available - headerLength) - 8;
        if (payloadLength < 0)
        {
            return false;
        }

        datagram = new UdpDatagram(
            IPv4Address.Read(ip[12..]),
            BinaryPrimitives.ReadUInt16BigEndian(udp),
            IPv4Address.Read(ip[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(udp[2..]),
            packet.Slice(headerLength + 8, payloadLength));
        return true;
    }
}
