namespace DhcpSharp.Client.Tests.Network;

/// <summary>
/// The client network tests' labs: namespaces <c>dsclient-PID-N-ROLE</c>, bridge ports
/// <c>dscNROLE</c>. Every lab needs dnsmasq too; a missing program fails the test (never a skip).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ClientSuite
{
    public static readonly TestSuite Instance = new()
    {
        Title = "The client network tests",
        RootReason = "network namespaces, UDP ports 67/68, packet sockets",
        NamespacePrefix = "dsclient",
        InterfacePrefix = "dsc",
        BasePrograms = ["ip", "timeout", "dnsmasq"],
    };
}
