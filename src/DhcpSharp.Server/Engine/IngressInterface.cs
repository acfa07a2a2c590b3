using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Where a request came in: the interface, the server's own address on it, the port it was
/// received on, and the ports replies go to (RFC 2131: relays 67, clients 68; the transport
/// sets other values for tests and for load generators that listen elsewhere).
/// </summary>
public sealed record IngressInterface(string Name, int Index, IPv4Address LocalAddress, int LocalPort = 67)
{
    public static IngressInterface Loopback { get; } = new("lo", 1, IPv4Address.Parse("127.0.0.1"));

    public int RelayPort { get; init; } = 67;

    public int ClientPort { get; init; } = 68;
}
