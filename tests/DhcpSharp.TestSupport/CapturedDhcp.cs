using System.Globalization;

namespace DhcpSharp.TestSupport;

/// <summary>One DHCP packet of a capture, as tshark decodes it: an oracle independent of DhcpSharp's codec.</summary>
public sealed record CapturedDhcp(
    int Number,
    double Time,
    string EthernetSource,
    string EthernetDestination,
    string Source,
    string Destination,
    int DestinationPort,
    string Xid,
    int MessageType,
    bool BroadcastFlag,
    string ClientMac,
    string ClientAddress,
    string YourAddress,
    string ServerIdentifier,
    string RequestedAddress)
{
    public const int Discover = 1, Offer = 2, Request = 3, Decline = 4, Ack = 5, Nak = 6, Release = 7;

    public static string TypeName(int type) => type switch
    {
        Discover => "DISCOVER",
        Offer => "OFFER",
        Request => "REQUEST",
        Decline => "DECLINE",
        Ack => "ACK",
        Nak => "NAK",
        Release => "RELEASE",
        _ => type.ToString(CultureInfo.InvariantCulture),
    };

    public override string ToString() =>
        $"#{Number} {TypeName(MessageType)} xid {Xid} {Source} -> {Destination}:{DestinationPort} (eth {EthernetSource} -> {EthernetDestination}) " +
        $"bc={(BroadcastFlag ? 1 : 0)} chaddr={ClientMac} ciaddr={ClientAddress} yiaddr={YourAddress} sid={ServerIdentifier} req={RequestedAddress}";
}
