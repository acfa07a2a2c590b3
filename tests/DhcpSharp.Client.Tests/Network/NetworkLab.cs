namespace DhcpSharp.Client.Tests.Network;

/// <summary>
/// Two network namespaces joined by a veth pair: the server side has 10.234.0.1/24, the client
/// side no address at all (a client's interface before DHCP). Programs, namespaces and the work
/// directory go on dispose (<see cref="NamespaceLab"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class NetworkLab : NamespaceLab
{
    public const string ServerAddress = "10.234.0.1";
    public const string ServerInterface = "dsc-srv";
    public const string ClientInterface = "dsc-cli";

    private NetworkLab()
        : base(ClientSuite.Instance)
    {
    }

    public NetworkNamespace ServerNamespace { get; private set; } = null!;

    public NetworkNamespace ClientNamespace { get; private set; } = null!;

    /// <summary>The client interface's MAC, as the client in its namespace sees it.</summary>
    public string ClientMac { get; private set; } = "";

    public static Task<NetworkLab> CreateAsync() => CreateLabAsync(ClientSuite.Instance, [], null, () => new NetworkLab(), lab => lab.SetUpAsync());

    private async Task SetUpAsync()
    {
        // Created inside the namespaces, so the fixed names never clash with another lab's.
        var link = await DirectLinkAsync($"{ServerAddress}/24", ("s", ServerInterface), ("c", ClientInterface));
        (ServerNamespace, ClientNamespace) = (link.Server, link.Client);
        ClientMac = await ClientNamespace.MacAddressAsync(ClientInterface);
    }
}
