namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>
/// dumpcap on one interface inside one namespace, writing classic pcap (<c>-P</c>) so the
/// project's own <c>PcapReader</c> reads it. Started before any server, stopped by PID (SIGTERM
/// makes dumpcap flush and close the file).
/// </summary>
internal sealed class PacketCapture : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private PacketCapture(BackgroundProcess process, string file)
    {
        _process = process;
        File = file;
    }

    public string File { get; }

    public static async Task<PacketCapture> StartAsync(string ns, string iface, string file, TimeSpan limit)
    {
        var process = BackgroundProcess.Start("dumpcap", limit,
            NetworkLab.InNamespace(ns, Prerequisites.Tool("dumpcap"), "-q", "-P", "-i", iface, "-w", file));
        var capture = new PacketCapture(process, file);
        for (int i = 0; i < 100 && !process.Output.Contains("Capturing on", StringComparison.Ordinal); i++)
        {
            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        if (!process.Output.Contains("Capturing on", StringComparison.Ordinal))
        {
            await capture.DisposeAsync();
            Assert.Fail($"dumpcap did not start on {iface} in {ns}:\n{process.Output}");
        }

        return capture;
    }

    /// <summary>Stops the capture (after a moment for the last frames) and decodes it.</summary>
    public async Task<BootTrace> StopAsync()
    {
        await Task.Delay(500);
        await _process.StopAsync();
        return BootTrace.Read(File);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
