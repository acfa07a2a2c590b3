using System.Globalization;

namespace DhcpSharp.TestSupport;

/// <summary>Every DHCP packet of a capture file, decoded by tshark.</summary>
public static class TsharkDhcp
{
    public static async Task<IReadOnlyList<CapturedDhcp>> DecodeAsync(string file)
    {
        var tshark = await Command.RunAsync(
            [Prerequisites.Tool("tshark"), "-n", "-r", file, "-Y", "dhcp", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
             "-e", "frame.number", "-e", "frame.time_epoch", "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.dstport",
             "-e", "dhcp.id", "-e", "dhcp.option.dhcp", "-e", "dhcp.flags.bc", "-e", "dhcp.hw.mac_addr", "-e", "dhcp.ip.client", "-e", "dhcp.ip.your",
             "-e", "dhcp.option.dhcp_server_id", "-e", "dhcp.option.requested_ip_address"],
            TimeSpan.FromSeconds(60), check: false);
        Assert.True(tshark.ExitCode == 0, $"tshark could not read {file} (exit {tshark.ExitCode}):\n{tshark.Error}{tshark.Output}");
        return tshark.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
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
