using System.Globalization;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>One DHCP packet of a capture, as tshark decodes it (an oracle independent of DhcpSharp's codec).</summary>
internal sealed record DhcpFrame(
    int Number,
    string EthernetDestination,
    string Source,
    string Destination,
    int DestinationPort,
    int MessageType,
    string ClientAddress,
    string YourAddress)
{
    public const int Discover = 1, Offer = 2, Request = 3, Decline = 4, Ack = 5, Nak = 6, Release = 7;

    public override string ToString() =>
        $"#{Number} type {MessageType} {Source} -> {Destination}:{DestinationPort} (eth {EthernetDestination}) ciaddr={ClientAddress} yiaddr={YourAddress}";
}

/// <summary>dumpcap on one interface of a namespace (DHCP ports only), decoded afterwards with tshark.</summary>
internal sealed class PacketCapture
{
    private readonly BackgroundProcess _dumpcap;

    private PacketCapture(BackgroundProcess dumpcap, string file)
    {
        _dumpcap = dumpcap;
        File = file;
    }

    public string File { get; }

    public static async Task<PacketCapture> StartAsync(Lab lab, NetworkNamespace ns, string device)
    {
        string file = lab.PathFor($"{device}.pcap");
        var dumpcap = lab.Start(ns, $"dumpcap {device}", [Prerequisites.Tool("dumpcap"), "-P", "-i", device, "-f", "udp port 67 or udp port 68", "-w", file]);
        if (!await dumpcap.WaitForOutputAsync(o => o.Contains("Capturing on", StringComparison.Ordinal), TimeSpan.FromSeconds(20)))
        {
            Assert.Fail($"dumpcap did not start on {device}:\n{dumpcap.Output}");
        }

        await Task.Delay(300); // "Capturing on" is printed just before the capture loop runs.
        return new PacketCapture(dumpcap, file);
    }

    /// <summary>SIGINT makes dumpcap flush and close the file; then tshark decodes every DHCP packet.</summary>
    public async Task<IReadOnlyList<DhcpFrame>> StopAndDecodeAsync()
    {
        await Task.Delay(500); // the last reply may still be on its way
        _dumpcap.Signal(NativeMethods.SIGINT);
        if (!await _dumpcap.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Fail($"dumpcap did not stop:\n{_dumpcap.Output}");
        }

        var decoded = await Command.RunAsync(
            [Prerequisites.Tool("tshark"), "-n", "-r", File, "-Y", "dhcp", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
             "-e", "frame.number", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.dstport",
             "-e", "dhcp.option.dhcp", "-e", "dhcp.ip.client", "-e", "dhcp.ip.your"], TimeSpan.FromSeconds(60));
        return decoded.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            string[] f = line.Split('\t');
            return new DhcpFrame(int.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], f[3], int.Parse(f[4], CultureInfo.InvariantCulture),
                int.TryParse(f[5], out int type) ? type : 0, f[6], f[7]);
        }).ToList();
    }
}
