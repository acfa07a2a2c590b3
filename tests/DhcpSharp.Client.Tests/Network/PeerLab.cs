using System.Globalization;

namespace DhcpSharp.Client.Tests.Network;

/// <summary>
/// A small switched LAN for tests with several servers or third-party peers: a bridge in a
/// namespace of its own and one namespace per host (servers and clients), each host with one
/// veth port, <see cref="HostInterface"/>, on the bridge. Namespaces are named
/// <c>dscpeer-PID-N-ROLE</c>; every process runs under <c>timeout</c> and is killed by PID on
/// dispose, then the namespaces (and with them every veth and the bridge) are deleted.
/// </summary>
internal sealed class PeerLab : IDisposable
{
    /// <summary>The name of the one interface in every host namespace.</summary>
    public const string HostInterface = "dsp0";

    private const string Bridge = "dspbr";
    private static int _counter;
    private readonly string _prefix;
    private readonly List<string> _namespaces = [];
    private readonly List<ChildProcess> _processes = [];

    /// <param name="tools">Programs the test needs beyond ip, timeout and dnsmasq (checked first: a missing one fails the test).</param>
    public PeerLab(params string[] tools)
    {
        Prerequisites.Check();
        PeerTools.Require(tools);
        LabCommands.RemoveStaleNamespaces("dscpeer");
        _prefix = $"dscpeer-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}";
        Directory = System.IO.Directory.CreateTempSubdirectory("dhcpsharp-peer-lab-").FullName;
        try
        {
            BridgeNamespace = AddNamespace("br");
            LabCommands.Run("ip", "-n", BridgeNamespace, "link", "add", Bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
            LabCommands.Run("ip", "-n", BridgeNamespace, "link", "set", Bridge, "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string BridgeNamespace { get; }

    /// <summary>A private scratch directory (lease files, configurations, captures), deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>
    /// A host on the LAN: a namespace <c>dscpeer-PID-N-<paramref name="role"/></c> whose
    /// <see cref="HostInterface"/> is up and has <paramref name="address"/> (CIDR), or no address.
    /// </summary>
    public string AddHost(string role, string? address = null)
    {
        if (role.Contains('-', StringComparison.Ordinal) || role.Length > 8)
        {
            throw new ArgumentException("a role is at most 8 characters, without '-'", nameof(role));
        }

        string ns = AddNamespace(role);
        string port = $"dsp-{role}";
        LabCommands.Run("ip", "link", "add", HostInterface, "netns", ns, "type", "veth", "peer", "name", port, "netns", BridgeNamespace);
        LabCommands.Run("ip", "-n", BridgeNamespace, "link", "set", port, "master", Bridge);
        LabCommands.Run("ip", "-n", BridgeNamespace, "link", "set", port, "up");
        if (address is not null)
        {
            LabCommands.Run("ip", "-n", ns, "addr", "add", address, "dev", HostInterface);
        }

        LabCommands.Run("ip", "-n", ns, "link", "set", HostInterface, "up");
        return ns;
    }

    /// <summary>Replaces every IPv4 address of a host's interface with <paramref name="address"/> (CIDR).</summary>
    public void Readdress(string ns, string address)
    {
        LabCommands.Run("ip", "-n", ns, "-4", "addr", "flush", "dev", HostInterface);
        LabCommands.Run("ip", "-n", ns, "addr", "add", address, "dev", HostInterface);
    }

    /// <summary>The MAC address of a host's interface.</summary>
    public string MacOf(string ns) =>
        LabCommands.Run("ip", "-n", ns, "-br", "link", "show", "dev", HostInterface).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

    /// <summary>The IPv4 addresses (CIDR) on a host's interface now.</summary>
    public IReadOnlyList<string> AddressesOf(string ns) =>
        [.. LabCommands.Run("ip", "-n", ns, "-4", "-br", "addr", "show", "dev", HostInterface).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2)];

    /// <summary>Starts <c>timeout -k 5 LIMIT ip netns exec NS program args…</c>.</summary>
    public ChildProcess Start(string ns, TimeSpan limit, string program, params string[] arguments)
    {
        var process = ChildProcess.Start("timeout", ["-k", "5", ((int)limit.TotalSeconds).ToString(CultureInfo.InvariantCulture), "ip", "netns", "exec", ns, program, .. arguments]);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Runs <c>dotnet dhcpsharp.dll args…</c> in a namespace.</summary>
    public ChildProcess StartDhcpSharp(string ns, TimeSpan limit, params string[] arguments) =>
        Start(ns, limit, Prerequisites.DotnetHost, [Prerequisites.DhcpSharpCli, .. arguments]);

    /// <summary>Writes an executable shell script into <see cref="Directory"/>.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public string WriteScript(string name, string text)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        lock (_processes)
        {
            foreach (var process in _processes)
            {
                process.Dispose();
            }
        }

        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            LabCommands.TryRun("ip", "netns", "del", ns);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string AddNamespace(string role)
    {
        string ns = $"{_prefix}-{role}";
        LabCommands.Run("ip", "netns", "add", ns);
        _namespaces.Add(ns);
        LabCommands.Run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }
}

/// <summary>The third-party programs the peer tests use, and the Debian package of each.</summary>
internal static class PeerTools
{
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["dumpcap"] = "tshark (which pulls in wireshark-common)",
        ["tshark"] = "tshark",
        ["dnsmasq"] = "dnsmasq-base",
        ["dhclient"] = "isc-dhcp-client",
        ["kea-dhcp4"] = "kea-dhcp4-server",
        ["env"] = "coreutils",
    };

    public static void Require(IEnumerable<string> tools)
    {
        var missing = tools.Where(t => Find(t) is null).ToList();
        if (missing.Count > 0)
        {
            Assert.Fail($"This test needs {string.Join(", ", missing)}: install the Debian packages {string.Join(", ", missing.Select(t => Packages.GetValueOrDefault(t, t)).Distinct())} (scripts/test.sh does this when run as root).");
        }
    }

    /// <summary>The full path of a program, looked up on PATH and in the sbin directories.</summary>
    public static string Path(string program) => Find(program) ?? throw new InvalidOperationException($"{program} not found");

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(directory => System.IO.Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>One DHCP packet of a capture, as tshark decodes it: an oracle independent of DhcpSharp's codec.</summary>
internal sealed record CapturedDhcp(
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

/// <summary>dumpcap on a host's interface (DHCP ports only, pcap format), decoded afterwards with tshark.</summary>
internal sealed class PeerCapture
{
    private readonly ChildProcess _dumpcap;

    private PeerCapture(ChildProcess dumpcap, string file)
    {
        _dumpcap = dumpcap;
        File = file;
    }

    public string File { get; }

    public static async Task<PeerCapture> StartAsync(PeerLab lab, string ns, string name, TimeSpan limit)
    {
        string file = Path.Combine(lab.Directory, $"{name}.pcap");
        var dumpcap = lab.Start(ns, limit, PeerTools.Path("dumpcap"), "-P", "-q", "-i", PeerLab.HostInterface, "-f", "udp port 67 or udp port 68", "-w", file);
        await dumpcap.WaitForLineAsync(l => l.Contains("Capturing on", StringComparison.Ordinal), TimeSpan.FromSeconds(20), $"dumpcap start in {ns}");
        await Task.Delay(300); // "Capturing on" comes just before the capture loop runs.
        return new PeerCapture(dumpcap, file);
    }

    /// <summary>SIGINT makes dumpcap flush and close the file; then tshark decodes every DHCP packet in it.</summary>
    public async Task<IReadOnlyList<CapturedDhcp>> StopAndDecodeAsync()
    {
        await Task.Delay(300); // the last reply may still be on its way
        _dumpcap.Signal("INT");
        await _dumpcap.WaitForExitAsync(TimeSpan.FromSeconds(10));
        return await DecodeAsync(File);
    }

    public static async Task<IReadOnlyList<CapturedDhcp>> DecodeAsync(string file)
    {
        using var tshark = ChildProcess.Start("timeout", ["-k", "5", "60", PeerTools.Path("tshark"), "-n", "-r", file, "-Y", "dhcp", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
            "-e", "frame.number", "-e", "frame.time_epoch", "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.dstport",
            "-e", "dhcp.id", "-e", "dhcp.option.dhcp", "-e", "dhcp.flags.bc", "-e", "dhcp.hw.mac_addr", "-e", "dhcp.ip.client", "-e", "dhcp.ip.your",
            "-e", "dhcp.option.dhcp_server_id", "-e", "dhcp.option.requested_ip_address"]);
        Assert.True(await tshark.WaitForExitAsync(TimeSpan.FromSeconds(70)) == 0, $"tshark could not read {file}:\n{tshark.Output}");
        return tshark.StandardOutput.Where(l => l.Length > 0).Select(line =>
        {
            string[] f = line.Split('\t');
            return new CapturedDhcp(
                int.Parse(f[0], CultureInfo.InvariantCulture),
                double.Parse(f[1], CultureInfo.InvariantCulture),
                f[2], f[3], f[4], f[5],
                int.Parse(f[6], CultureInfo.InvariantCulture),
                NormaliseXid(f[7]),
                int.TryParse(f[8], CultureInfo.InvariantCulture, out int type) ? type : 0,
                f[9] is "1" or "True" or "true",
                f[10], f[11], f[12], f[13], f[14]);
        }).ToList();
    }

    /// <summary>"0x0000abcd" whatever tshark prints (hex with or without padding).</summary>
    public static string NormaliseXid(string text) =>
        $"0x{Convert.ToUInt32(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text, 16):x8}";
}
