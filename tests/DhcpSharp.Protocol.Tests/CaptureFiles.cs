using DhcpSharp.Protocol.Capture;

namespace DhcpSharp.Protocol.Tests;

/// <summary>The committed captures (Captures/*.pcap), copied next to the test assembly.</summary>
internal static class CaptureFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Captures");

    public static IEnumerable<string> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.pcap").Order(StringComparer.Ordinal);

    public static IEnumerable<(PcapRecord Record, UdpDatagram Datagram)> DhcpDatagrams(string path)
    {
        using var reader = PcapReader.Open(path);
        foreach (var record in reader.ReadAll())
        {
            if (UdpDatagramExtractor.TryExtract(reader.LinkType, record.Data, out var datagram) &&
                (datagram.SourcePort is 67 or 68 or 4011 || datagram.DestinationPort is 67 or 68 or 4011))
            {
                yield return (record, datagram);
            }
        }
    }

    public static IEnumerable<byte[]> AllDhcpPayloads() =>
        All().SelectMany(path => DhcpDatagrams(path).Select(d => d.Datagram.Payload.ToArray()).ToList());
}
