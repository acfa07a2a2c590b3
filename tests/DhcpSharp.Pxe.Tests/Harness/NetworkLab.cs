namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>One machine on the lab segment: its own namespace and a veth whose peer is a bridge port.</summary>
internal sealed record LabHost(NetworkNamespace Namespace, string Interface, string? Address);

/// <summary>
/// A private Ethernet segment: namespace <c>dspxe-PID-N-lan</c> holds a bridge and the tap QEMU's
/// NIC is plugged into; each host gets its own namespace <c>dspxe-PID-N-ROLE</c> and a veth pair
/// created directly inside the lan namespace (one end is moved straight into the host's
/// namespace, so nothing ever appears in the machine's own namespace). Interfaces are
/// <c>dspxe-N…</c>; addresses are in 10.235.0.0/16. Disposal deletes the namespaces, which
/// removes every interface in them (<see cref="NamespaceLab"/>).
/// </summary>
internal sealed class NetworkLab : NamespaceLab
{
    public const int PrefixLength = 16;

    /// <summary>A missing program or firmware file fails the test with what to install (never a skip).</summary>
    public static readonly TestSuite PxeSuite = new()
    {
        Title = "The PXE tests",
        RootReason = "network namespaces, a tap device, UDP ports 67/69/4011, packet capture",
        NamespacePrefix = "dspxe",
        InterfacePrefix = "dspxe-",
        BasePrograms = ["ip", "ss", "timeout"],
        KeepVariable = "DSPXE_KEEP",
        CliVariable = "DSPXE_DHCPSHARP_DLL",
    };

    private NetworkLab(string scenario)
        : base(PxeSuite, scenario)
    {
        Bridge = Interface("br");
        Tap = Interface("tap");
    }

    public NetworkNamespace LanNamespace { get; private set; } = null!;

    public string Bridge { get; }

    /// <summary>The tap QEMU's NIC uses (in <see cref="LanNamespace"/>); every frame the client sends or receives crosses it.</summary>
    public string Tap { get; }

    /// <summary>Checks the prerequisites (programs, and firmware files → their Debian package), then builds the segment.</summary>
    public static Task<NetworkLab> CreateAsync(string scenario, IEnumerable<string> programs, IReadOnlyDictionary<string, string> files) =>
        CreateLabAsync(PxeSuite, programs, files, () => new NetworkLab(scenario), lab => lab.SetUpAsync());

    /// <summary>Adds a host (namespace <c>…-ROLE</c>, interface <c>dspxe-NROLE</c>) with an address, or none for a DHCP client.</summary>
    public async Task<LabHost> AddHostAsync(string role, string? address)
    {
        if (role.Length is 0 or > 3)
        {
            throw new ArgumentException("a role has 1-3 characters (interface names are at most 15)", nameof(role));
        }

        string inside = Interface(role);
        var ns = await AddBridgedHostAsync(LanNamespace, Bridge, role, inside, Interface(role + "b"), address is null ? null : $"{address}/{PrefixLength}");
        return new LabHost(ns, inside, address);
    }

    private async Task SetUpAsync()
    {
        LanNamespace = await NamespaceAsync("lan");
        await AddBridgeAsync(LanNamespace, Bridge);
        await AddTapAsync(LanNamespace, Tap, Bridge);
    }
}
