using System.CommandLine;
using System.Reflection;
using DhcpSharp.Protocol.Capture;

namespace DhcpSharp.Cli.Commands;

/// <summary><c>dhcpsharp decode FILE.pcap [--json]</c>: every DHCP message of a capture, decoded.</summary>
internal static class DecodeCommand
{
    /// <summary>UDP ports whose payload is DHCP/BOOTP (67 server, 68 client, 4011 PXE boot server).</summary>
    private static readonly HashSet<ushort> DhcpPorts = [67, 68, 4011];

    internal const string SampleResource = "DhcpSharp.Cli.Resources.sample-pxe-bios.pcap";

    public static Command Create()
    {
        var file = new Argument<FileInfo?>("FILE")
        {
            Description = "A classic pcap file (Ethernet, Linux cooked or raw IP). Without it, an embedded sample (an iPXE BIOS network boot) is decoded.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per message and line." };
        var command = new Command("decode", "Decode the DHCP/BOOTP messages (UDP 67, 68, 4011) of a pcap capture.") { file, json };
        command.SetAction(parse => Run(parse.GetValue(file), parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo? file, bool json, TextWriter output, TextWriter error)
    {
        Stream stream;
        try
        {
            stream = file is null
                ? typeof(DecodeCommand).Assembly.GetManifestResourceStream(SampleResource) ?? throw new FileNotFoundException("embedded sample missing")
                : file.OpenRead();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"dhcpsharp decode: cannot open {file?.FullName}: {e.Message}");
            return 2;
        }

        try
        {
            using var reader = new PcapReader(stream);
            if (!UdpDatagramExtractor.IsSupportedLinkType(reader.LinkType))
            {
                error.WriteLine($"dhcpsharp decode: link type {reader.LinkType} is not supported (Ethernet 1, Linux cooked 113/276, raw IP 101).");
                return 2;
            }

            int messages = 0;
            int malformed = 0;
            foreach (var record in reader.ReadAll())
            {
                if (!UdpDatagramExtractor.TryExtract(reader.LinkType, record.Data, out var datagram) ||
                    !(DhcpPorts.Contains(datagram.SourcePort) || DhcpPorts.Contains(datagram.DestinationPort)))
                {
                    continue;
                }

                messages++;
                if (!MessageOutput.Write(record.Timestamp, datagram, json, output))
                {
                    malformed++;
                }
            }

            if (!json)
            {
                output.WriteLine($"{messages} DHCP message(s), {malformed} malformed.");
            }

            return 0;
        }
        catch (PcapFormatException e)
        {
            output.Flush();
            error.WriteLine($"dhcpsharp decode: {file?.Name ?? "sample"}: {e.Message}");
            return 1;
        }
    }
}
