using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>What a boot produced: the time to the marker, the console, the facts the payload printed, the capture.</summary>
internal sealed record BootResult(TimeSpan TimeToMarker, string Console, IReadOnlyDictionary<string, string> Facts, BootTrace Trace);

/// <summary>
/// One scenario: a network lab with its work directory (TFTP root, logs, serial, capture), the
/// servers, the capture and the client. Everything is bounded in time and ended by PID on
/// disposal, which also deletes the namespaces, whether or not the test passed; every program's
/// output goes to the test output. Unless <see cref="Passed"/> was called, disposal also writes
/// the console and the decoded capture there and keeps the work directory (DSPXE_KEEP=1 keeps it always).
/// </summary>
internal sealed partial class PxeLab : IAsyncDisposable
{
    public const string DnsmasqAddress = "10.235.0.1";
    public const string DhcpSharpAddress = "10.235.0.2";
    public const string PoolStart = "10.235.0.100";
    public const string PoolEnd = "10.235.0.199";

    /// <summary>A boot normally reaches the marker in ≈ 20 s (BIOS) or ≈ 35 s (UEFI) under TCG.</summary>
    public static readonly TimeSpan BootLimit = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan ServerLimit = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan ServerStartLimit = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private PacketCapture? _capture;
    private QemuMachine? _machine;
    private bool _passed;
    private bool _timelineWritten;

    private PxeLab(ITestOutputHelper output, string scenario, NetworkLab network)
    {
        _output = output;
        Scenario = scenario;
        Network = network;
        Nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        WorkDirectory = network.Directory;
        TftpRoot = Path.Combine(WorkDirectory, "tftproot");
        Directory.CreateDirectory(TftpRoot);
    }

    public string Scenario { get; }

    public NetworkLab Network { get; }

    /// <summary>Random per run: a stale log or capture can never produce a pass.</summary>
    public string Nonce { get; }

    public string Marker => $"DSPXE-OK-{Nonce}";

    public string WorkDirectory { get; }

    public string TftpRoot { get; }

    public static async Task<PxeLab> CreateAsync(ITestOutputHelper output, string scenario, IEnumerable<string> programs, IEnumerable<string> files)
    {
        var network = await NetworkLab.CreateAsync(scenario, programs, files.Distinct().ToDictionary(f => f, FirmwareFiles.PackageOf, StringComparer.Ordinal));
        return new PxeLab(output, scenario, network);
    }

    /// <summary>Starts dumpcap (every frame, not only DHCP: TFTP too); call it before any server so nothing is missed.</summary>
    public async Task StartCaptureAsync(NetworkNamespace ns, string iface) =>
        _capture = await PacketCapture.StartAsync(Network, ns, iface, Path.Combine(WorkDirectory, "capture.pcap"), filter: null, limit: ServerLimit);

    public Task StartCaptureOnClientTapAsync() => StartCaptureAsync(Network.LanNamespace, Network.Tap);

    public async Task<BootTrace> StopCaptureAsync()
    {
        var capture = _capture ?? throw new InvalidOperationException("no capture was started");
        await capture.StopAsync();
        var trace = BootTrace.Read(capture.File);
        _output.WriteLine(trace.Timeline());
        _timelineWritten = true;
        return trace;
    }

    /// <summary><c>dhcpsharp serve --leases … --interface IF --trace ARGS</c> on host "ds" (10.235.0.2); ready when its UDP ports listen.</summary>
    public async Task<LabHost> StartDhcpSharpAsync(params string[] serveArguments)
    {
        var host = await Network.AddHostAsync("ds", DhcpSharpAddress);
        var ports = new List<int> { 67 };
        if (serveArguments.Contains("--tftp-root"))
        {
            ports.Add(69);
        }

        if (serveArguments.Contains("--proxy"))
        {
            ports.Add(4011);
        }

        var server = await ServerProcess.StartAsync(Network, host.Namespace, Path.Combine(WorkDirectory, "dhcpsharp-leases.db"),
            ["--interface", host.Interface, "--trace", .. serveArguments], name: "dhcpsharp", limit: ServerLimit, readyLine: null);
        await host.Namespace.WaitForUdpListenersAsync(server.Process, ports, ServerStartLimit);
        return host;
    }

    /// <summary>
    /// examples/ProxyBoot (the library's proxy entry point: <c>ProxyBoot IFACE DIR</c>) on host "ds"
    /// instead of <c>dhcpsharp serve</c>; ready when 67, 69 and 4011 listen.
    /// </summary>
    public async Task<BackgroundProcess> StartProxyBootExampleAsync(string exampleDll)
    {
        var host = await Network.AddHostAsync("ds", DhcpSharpAddress);
        var example = Start("ProxyBoot example", ServerLimit, host.Namespace, Prerequisites.Dotnet, exampleDll, host.Interface, TftpRoot);
        await host.Namespace.WaitForUdpListenersAsync(example, [67, 69, 4011], ServerStartLimit);
        return example;
    }

    /// <summary>dnsmasq as a plain DHCP server (addresses only, no boot options, no DNS) on host "dm" (10.235.0.1).</summary>
    public async Task<LabHost> StartDnsmasqAsync()
    {
        var host = await Network.AddHostAsync("dm", DnsmasqAddress);
        string[] command =
        [
            Prerequisites.Tool("dnsmasq"), "--no-daemon", "--conf-file=/dev/null", "--port=0",
            $"--interface={host.Interface}", "--bind-interfaces",
            $"--dhcp-range={PoolStart},{PoolEnd},255.255.0.0,10m", "--dhcp-authoritative", "--no-ping",
            $"--dhcp-leasefile={Path.Combine(WorkDirectory, "dnsmasq.leases")}",
            $"--pid-file={Path.Combine(WorkDirectory, "dnsmasq.pid")}",
            "--log-dhcp", "--log-facility=-",
        ];
        var dnsmasq = Start("dnsmasq", ServerLimit, host.Namespace, command);
        await host.Namespace.WaitForUdpListenersAsync(dnsmasq, [67], ServerStartLimit);
        return host;
    }

    /// <summary>Any other program in a namespace, bounded and ended with the lab.</summary>
    public BackgroundProcess Start(string name, TimeSpan limit, NetworkNamespace ns, params string[] command) => Network.Start(ns, name, command, limit);

    /// <summary>
    /// Boots the client on the tap and waits for the marker (at most <see cref="BootLimit"/>),
    /// then for the payload's last line and QEMU's exit, then stops the capture and decodes it.
    /// </summary>
    public async Task<BootResult> BootAsync(ClientFirmware firmware)
    {
        var machine = _machine = QemuMachine.Start(Network, firmware, WorkDirectory, BootLimit + TimeSpan.FromSeconds(30));
        var timeToMarker = await machine.WaitForConsoleAsync(Marker, BootLimit);
        if (timeToMarker is null)
        {
            Assert.Fail($"{Scenario}: the {firmware} client did not print {Marker} on its serial console within {BootLimit.TotalSeconds:F0} s " +
                        $"(QEMU {(machine.HasExited ? "exited" : "still running")}). Console, server logs and capture are in the test output.");
        }

        // The facts follow the marker; QEMU exits on the payload's reboot.
        await machine.WaitForConsoleAsync($"{Nonce}:end=", TimeSpan.FromSeconds(10));
        await machine.WaitForExitAsync(TimeSpan.FromSeconds(10));
        string console = machine.Console();
        await machine.DisposeAsync();
        var trace = await StopCaptureAsync();

        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in FactPattern().Matches(console))
        {
            if (match.Groups["nonce"].Value == Nonce)
            {
                facts[match.Groups["key"].Value] = match.Groups["value"].Value;
            }
        }

        string accel = Environment.GetEnvironmentVariable("DSPXE_ACCEL") ?? "tcg";
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[pxe-timing] {Scenario}: marker on the serial console {timeToMarker.Value.TotalSeconds:F1} s after QEMU started ({firmware}, accel {accel})"));
        if (facts.Count > 0)
        {
            _output.WriteLine($"facts: {string.Join(' ', facts.Select(f => $"{f.Key}={f.Value}"))}");
        }

        return new BootResult(timeToMarker.Value, console, facts, trace);
    }

    /// <summary>Marks the scenario as passed: disposal then only cleans up.</summary>
    public void Passed() => _passed = true;

    public async ValueTask DisposeAsync()
    {
        // QEMU, the capture and the servers, then the namespaces; the files stay until the end.
        await Network.StopAsync();
        if (!_passed)
        {
            ReportFailureEvidence();
            Network.KeepDirectory = true;
        }

        if (Network.KeepDirectory)
        {
            _output.WriteLine($"decode the capture with `dhcpsharp decode {Path.Combine(WorkDirectory, "capture.pcap")}`");
        }

        await Network.DisposeAsync(); // every program's output to the test output; the work directory unless kept
    }

    /// <summary>Each program's whole log as a file, the end of the console and the decoded capture (the programs' output goes to the test output anyway).</summary>
    private void ReportFailureEvidence()
    {
        foreach (var process in Network.Processes)
        {
            File.WriteAllText(Path.Combine(WorkDirectory, $"{process.Name.Replace(' ', '-')}.log"), $"$ {process.CommandLine}\n{process.Output}");
        }

        if (_machine is not null)
        {
            _output.WriteLine($"==== serial console, last lines:\n{Tail(_machine.Console(), 60)}");
        }

        string pcap = Path.Combine(WorkDirectory, "capture.pcap");
        if (!_timelineWritten && File.Exists(pcap))
        {
            try
            {
                _output.WriteLine(BootTrace.Read(pcap).Timeline());
            }
            catch (Exception e) when (e is IOException or DhcpSharp.Protocol.Capture.PcapFormatException)
            {
                _output.WriteLine($"capture unreadable: {e.Message}");
            }
        }
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    [GeneratedRegex(@"(?<nonce>[0-9a-f]{8}):(?<key>[a-z-]+)=(?<value>[^\s]*)")]
    private static partial Regex FactPattern();
}
