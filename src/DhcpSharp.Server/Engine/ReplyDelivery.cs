namespace DhcpSharp.Server.Engine;

/// <summary>How a reply reaches the client (RFC 2131 §4.1).</summary>
public enum ReplyDelivery
{
    /// <summary>To the relay agent (giaddr), port 67.</summary>
    Relay,
    /// <summary>Unicast to an address the client already has (ciaddr).</summary>
    Unicast,
    /// <summary>255.255.255.255 out of the receiving interface.</summary>
    Broadcast,
    /// <summary>Unicast to yiaddr before the client has an address: needs an ARP entry for chaddr.</summary>
    UnicastToNewAddress,
    /// <summary>Back to the request's source address and port (PXE boot-server requests on 4011).</summary>
    ToSource,
}
