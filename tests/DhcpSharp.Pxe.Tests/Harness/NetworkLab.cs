using System.Security.Cryptography;

namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>One machine on the lab segment: its own namespace and a veth whose peer is a bridge port.</summary>
internal sealed record LabHost(string Namespace, string Interface, string? Address);

/// <summary>
/// A private Ethernet segment: namespace <c>dspxe-ID-lan</c> holds a bridge and the tap QEMU's NIC
/// is plugged into; each host gets its own namespace and a veth pair created directly inside the
/// lan namespace (one end is moved straight into the host's namespace, so nothing ever appears in
/// the machine's own namespace). Names are <c>dspxe-ID-…</c> with a random ID; addresses are in
/// 10.235.0.0/16. Disposal deletes the namespaces, which removes every interface in them.
/// </summary>
internal sealed class NetworkLab : IAsyncDisposable
{
    public const int PrefixLength = 16;

    private readonly List<string> _namespaces = [];

    private NetworkLab(string id)
    {
        Id = id;
        LanNamespace = $"dspxe-{id}-lan";
        Bridge = $"dspxe-{id}-br";
        Tap = $"dspxe-{id}-tap";
    }

    /// <summary>Four hex digits: interface names must stay within 15 characters.</summary>
    public string Id { get; }

    public string LanNamespace { get; }

    public string Bridge { get; }

    /// <summary>The tap QEMU's NIC uses (in <see cref="LanNamespace"/>); every frame the client sends or receives crosses it.</summary>
    public string Tap { get; }

    public static async Task<NetworkLab> CreateAsync()
    {
        var lab = new NetworkLab(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2)));
        try
        {
            await lab.AddNamespaceAsync(lab.LanNamespace);
            await Command.RunAsync("ip", "-n", lab.LanNamespace, "link", "add", lab.Bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
            await Command.RunAsync("ip", "netns", "exec", lab.LanNamespace, "ip", "tuntap", "add", "dev", lab.Tap, "mode", "tap");
            await Command.RunAsync("ip", "-n", lab.LanNamespace, "link", "set", lab.Tap, "master", lab.Bridge, "up");
            await Command.RunAsync("ip", "-n", lab.LanNamespace, "link", "set", lab.Bridge, "up");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a host (namespace <c>dspxe-ID-ROLE</c>, interface <c>dspxe-ID-ROLE</c>) with an address, or none for a DHCP client.</summary>
    public async Task<LabHost> AddHostAsync(string role, string? address)
    {
        if (role.Length is 0 or > 3)
        {
            throw new ArgumentException("a role has 1-3 characters (interface names are at most 15)", nameof(role));
        }

        string ns = $"dspxe-{Id}-{role}";
        string inside = $"dspxe-{Id}-{role}";
        string bridgePort = $"dspxe-{Id}-{role}b";
        await AddNamespaceAsync(ns);
        await Command.RunAsync("ip", "-n", LanNamespace, "link", "add", bridgePort, "type", "veth", "peer", "name", inside, "netns", ns);
        await Command.RunAsync("ip", "-n", LanNamespace, "link", "set", bridgePort, "master", Bridge, "up");
        if (address is not null)
        {
            await Command.RunAsync("ip", "-n", ns, "addr", "add", $"{address}/{PrefixLength}", "dev", inside);
        }

        await Command.RunAsync("ip", "-n", ns, "link", "set", inside, "up");
        return new LabHost(ns, inside, address);
    }

    /// <summary>Runs a program inside a namespace: the argument list for <see cref="BackgroundProcess"/>.</summary>
    public static string[] InNamespace(string ns, params string[] command) => ["ip", "netns", "exec", ns, .. command];

    /// <summary>Whether something listens on each UDP port inside the namespace (any address).</summary>
    public static async Task<bool> ListensOnUdpAsync(string ns, IEnumerable<int> ports)
    {
        string sockets = await Command.RunAsync(InNamespace(ns, "ss", "-Hlun"));
        var local = sockets.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 4)
            .Select(fields => fields[3])
            .ToList();
        return ports.All(p => local.Any(address => address.EndsWith($":{p}", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string ns in Enumerable.Reverse(_namespaces))
        {
            try
            {
                await Command.RunAsync("ip", "netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // Already gone; nothing else to do.
            }
        }

        _namespaces.Clear();
    }

    private async Task AddNamespaceAsync(string ns)
    {
        // Fails if a namespace of that name exists: never adopt (and later delete) one we did not make.
        await Command.RunAsync("ip", "netns", "add", ns);
        _namespaces.Add(ns);
        await Command.RunAsync("ip", "-n", ns, "link", "set", "lo", "up");
    }
}
