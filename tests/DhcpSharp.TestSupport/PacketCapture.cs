namespace DhcpSharp.TestSupport;

/// <summary>
/// dumpcap on one interface inside one namespace, writing classic pcap (<c>-P</c>: the project's
/// own PcapReader and tshark both read it). Started before the traffic it must see, stopped by
/// PID with SIGINT, which makes dumpcap flush and close the file.
/// </summary>
public sealed class PacketCapture
{
    /// <summary>The DHCP ports only.</summary>
    public const string DhcpFilter = "udp port 67 or udp port 68";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    private readonly BackgroundProcess _dumpcap;

    private PacketCapture(BackgroundProcess dumpcap, string file)
    {
        _dumpcap = dumpcap;
        File = file;
    }

    public string File { get; }

    /// <summary>
    /// Starts capturing on <paramref name="device"/> into <paramref name="file"/> (default
    /// DEVICE.pcap in the lab's directory), with a BPF <paramref name="filter"/> or (null) everything.
    /// </summary>
    public static async Task<PacketCapture> StartAsync(NamespaceLab lab, NetworkNamespace ns, string device, string? file = null, string? filter = DhcpFilter, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(lab);
        file ??= lab.PathFor($"{device}.pcap");
        string[] only = filter is null ? [] : ["-f", filter];
        var dumpcap = lab.Start(ns, $"dumpcap {device}", [Prerequisites.Tool("dumpcap"), "-P", "-q", "-i", device, .. only, "-w", file], limit);
        if (!await dumpcap.WaitForOutputAsync(o => o.Contains("Capturing on", StringComparison.Ordinal), StartLimit))
        {
            Assert.Fail($"dumpcap did not start on {device} in {ns}:\n{dumpcap.Output}");
        }

        await Task.Delay(300); // "Capturing on" is printed just before the capture loop runs.
        return new PacketCapture(dumpcap, file);
    }

    /// <summary>Stops the capture, after a moment for the last frames; fails the test if dumpcap does not end.</summary>
    public async Task StopAsync()
    {
        await Task.Delay(500); // the last reply may still be on its way
        _dumpcap.Signal(Signals.Interrupt);
        if (!await _dumpcap.WaitForExitAsync(StopLimit))
        {
            Assert.Fail($"dumpcap did not stop within {StopLimit.TotalSeconds} s:\n{_dumpcap.Output}");
        }
    }

    /// <summary>Stops the capture and decodes every DHCP packet in it with tshark.</summary>
    public async Task<IReadOnlyList<CapturedDhcp>> StopAndDecodeAsync()
    {
        await StopAsync();
        return await TsharkDhcp.DecodeAsync(File);
    }
}
