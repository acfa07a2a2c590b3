namespace DhcpSharp.Client.Tests.Network;

/// <summary>
/// A small switched LAN for tests with several servers or third-party peers: a bridge in a
/// namespace of its own and one namespace per host (servers and clients), each host with one
/// veth port, <see cref="HostInterface"/>, on the bridge. Programs, namespaces (with every veth
/// and the bridge) and the work directory go on dispose (<see cref="NamespaceLab"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class PeerLab : NamespaceLab
{
    /// <summary>The name of the one interface in every host namespace.</summary>
    public const string HostInterface = "dsp0";

    private const string Bridge = "dspbr";

    private PeerLab()
        : base(ClientSuite.Instance)
    {
    }

    public NetworkNamespace BridgeNamespace { get; private set; } = null!;

    /// <param name="tools">Programs the test needs beyond ip, timeout and dnsmasq (checked first: a missing one fails the test).</param>
    public static Task<PeerLab> CreateAsync(params string[] tools) => CreateLabAsync(ClientSuite.Instance, tools, null, () => new PeerLab(), lab => lab.SetUpAsync());

    /// <summary>
    /// A host on the LAN: a namespace <c>dsclient-PID-N-<paramref name="role"/></c> whose
    /// <see cref="HostInterface"/> is up and has <paramref name="address"/> (CIDR), or no address.
    /// </summary>
    public Task<NetworkNamespace> AddHostAsync(string role, string? address = null)
    {
        if (role.Contains('-', StringComparison.Ordinal) || role.Length > 8)
        {
            throw new ArgumentException("a role is at most 8 characters, without '-'", nameof(role));
        }

        return AddBridgedHostAsync(BridgeNamespace, Bridge, role, HostInterface, Interface(role), address);
    }

    /// <summary>Replaces every IPv4 address of a host's interface with <paramref name="address"/> (CIDR).</summary>
    public Task ReaddressAsync(NetworkNamespace host, string address) => host.ReaddressAsync(HostInterface, address);

    /// <summary>The MAC address of a host's interface.</summary>
    public Task<string> MacOfAsync(NetworkNamespace host) => host.MacAddressAsync(HostInterface);

    /// <summary>The IPv4 addresses (CIDR) on a host's interface now.</summary>
    public Task<IReadOnlyList<string>> AddressesOfAsync(NetworkNamespace host) => host.AddressesAsync(HostInterface);

    /// <summary>dumpcap on a host's interface (DHCP ports only) into NAME.pcap, decoded afterwards with tshark.</summary>
    public Task<PacketCapture> StartCaptureAsync(NetworkNamespace host, string name, TimeSpan limit) =>
        PacketCapture.StartAsync(this, host, HostInterface, PathFor($"{name}.pcap"), limit: limit);

    private async Task SetUpAsync()
    {
        BridgeNamespace = await NamespaceAsync("br");
        await AddBridgeAsync(BridgeNamespace, Bridge);
    }
}
