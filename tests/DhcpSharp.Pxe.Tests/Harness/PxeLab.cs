using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>What a boot produced: the time to the marker, the console, the facts the payload printed, the capture.</summary>
internal sealed record BootResult(TimeSpan TimeToMarker, string Console, IReadOnlyDictionary<string, string> Facts, BootTrace Trace);

/// <summary>
/// One scenario: a work directory (TFTP root, logs, serial, capture), a network lab, the servers,
/// the capture and the client. Everything is bounded in time and ended by PID on disposal, which
/// also deletes the namespaces, whether or not the test passed. Unless <see cref="Passed"/> was
/// called, disposal writes the servers' logs, the console and the decoded capture to the test
/// output and keeps the work directory (DSPXE_KEEP=1 keeps it always).
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

    private readonly ITestOutputHelper _output;
    private readonly List<BackgroundProcess> _processes = [];
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
        WorkDirectory = Path.Combine(Path.GetTempPath(), $"dspxe-{network.Id}-{scenario}");
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
        Prerequisites.Require(programs, files);
        var network = await NetworkLab.CreateAsync();
        return new PxeLab(output, scenario, network);
    }

    /// <summary>Starts dumpcap; call it before any server so nothing is missed.</summary>
    public async Task StartCaptureAsync(string ns, string iface) =>
        _capture = await PacketCapture.StartAsync(ns, iface, Path.Combine(WorkDirectory, "capture.pcap"), ServerLimit);

    public Task StartCaptureOnClientTapAsync() => StartCaptureAsync(Network.LanNamespace, Network.Tap);

    public async Task<BootTrace> StopCaptureAsync()
    {
        var capture = _capture ?? throw new InvalidOperationException("no capture was started");
        var trace = await capture.StopAsync();
        _output.WriteLine(trace.Timeline());
        _timelineWritten = true;
        return trace;
    }

    /// <summary><c>dhcpsharp serve --interface IF --leases … --trace ARGS</c> on host "ds" (10.235.0.2); ready when its UDP ports listen.</summary>
    public async Task<LabHost> StartDhcpSharpAsync(params string[] serveArguments)
    {
        var host = await Network.AddHostAsync("ds", DhcpSharpAddress);
        string[] command =
        [
            Prerequisites.Dotnet, Prerequisites.DhcpSharpDll, "serve",
            "--interface", host.Interface,
            "--leases", Path.Combine(WorkDirectory, "dhcpsharp-leases.db"),
            "--trace",
            .. serveArguments,
        ];
        var ports = new List<int> { 67 };
        if (serveArguments.Contains("--tftp-root"))
        {
            ports.Add(69);
        }

        if (serveArguments.Contains("--proxy"))
        {
            ports.Add(4011);
        }

        await StartServerAsync("dhcpsharp", host, command, ports);
        return host;
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
        await StartServerAsync("dnsmasq", host, command, [67]);
        return host;
    }

    /// <summary>Any other program in a namespace, bounded and ended with the lab.</summary>
    public BackgroundProcess Start(string name, TimeSpan limit, string ns, params string[] command)
    {
        var process = BackgroundProcess.Start(name, limit, NetworkLab.InNamespace(ns, command));
        _processes.Add(process);
        return process;
    }

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
        if (_machine is not null)
        {
            await _machine.DisposeAsync();
        }

        if (_capture is not null)
        {
            await _capture.DisposeAsync();
        }

        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        await Network.DisposeAsync();

        bool keep = !_passed || Environment.GetEnvironmentVariable("DSPXE_KEEP") == "1";
        if (!_passed)
        {
            ReportFailureEvidence();
        }

        if (keep)
        {
            _output.WriteLine($"work directory kept: {WorkDirectory} (decode the capture with `dhcpsharp decode {Path.Combine(WorkDirectory, "capture.pcap")}`)");
        }
        else
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    private async Task StartServerAsync(string name, LabHost host, string[] command, IReadOnlyList<int> ports)
    {
        var process = Start(name, ServerLimit, host.Namespace, command);
        for (int i = 0; i < 300; i++)
        {
            if (process.HasExited)
            {
                Assert.Fail($"{name} exited with {process.ExitCode} before it listened on UDP {string.Join('/', ports)}:\n{process.Output}");
            }

            if (await NetworkLab.ListensOnUdpAsync(host.Namespace, ports))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{name} did not listen on UDP {string.Join('/', ports)} in {host.Namespace} within 30 s:\n{process.Output}");
    }

    private void ReportFailureEvidence()
    {
        foreach (var process in _processes)
        {
            _output.WriteLine($"==== {process.Name} (exit {process.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}), last lines:\n{Tail(process.Output, 200)}");
            File.WriteAllText(Path.Combine(WorkDirectory, $"{process.Name}.log"), process.Output);
        }

        if (_machine is not null)
        {
            _output.WriteLine($"==== QEMU output:\n{_machine.ProcessOutput}");
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
