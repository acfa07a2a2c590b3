namespace DhcpSharp.TestSupport;

/// <summary>A server namespace and a client namespace joined by one veth pair.</summary>
public sealed record DirectLink(NetworkNamespace Server, string ServerDevice, NetworkNamespace Client, string ClientDevice);
