using System.Buffers.Binary;
using System.Text.Json;
using DhcpSharp.Cli.Commands;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Capture;

namespace DhcpSharp.Protocol.Tests;

public sealed class DecodeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpsharp-decode-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Json_lines_carry_every_documented_field()
    {
        var lines = DecodeJson(Path.Combine(CaptureFiles.Directory, "pxe-bios-ipxe-full.pcap"));
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var root = line.RootElement;
            foreach (var key in new[] { "time", "src", "dst", "op", "xid", "messageType", "chaddr", "ciaddr", "yiaddr", "siaddr", "giaddr", "flags", "sname", "file", "options" })
            {
                Assert.True(root.TryGetProperty(key, out _), $"missing {key}");
            }

            Assert.Matches("^0x[0-9a-f]{8}$", root.GetProperty("xid").GetString());
            Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", root.GetProperty("chaddr").GetString());
            Assert.Matches(@"^\d+\.\d+\.\d+\.\d+:\d+$", root.GetProperty("src").GetString());
            foreach (var option in root.GetProperty("options").EnumerateObject())
            {
                Assert.True(byte.TryParse(option.Name, out _));
                Assert.True(option.Value.TryGetProperty("name", out _));
                Assert.Matches("^([0-9a-f]{2})*$", option.Value.GetProperty("hex").GetString());
                Assert.True(option.Value.TryGetProperty("value", out _));
            }
        }

        var discover = lines[0].RootElement;
        Assert.Equal("DISCOVER", discover.GetProperty("messageType").GetString());
        Assert.Equal("0.0.0.0:68", discover.GetProperty("src").GetString());
        Assert.Equal("255.255.255.255:67", discover.GetProperty("dst").GetString());
        var architecture = discover.GetProperty("options").GetProperty("93");
        Assert.Equal("0000", architecture.GetProperty("hex").GetString());
        Assert.Equal("x86 BIOS", architecture.GetProperty("value")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Malformed_packets_are_reported_and_decoding_continues()
    {
        var good = TestPackets.Discover().ToArray();
        var truncated = TestPackets.Build([53, 1, 1, 12, 40, 1]);
        var shortOne = new byte[50];
        string path = WritePcap(good, truncated, shortOne, good);

        var lines = DecodeJson(path);
        Assert.Equal(4, lines.Count);
        Assert.Equal("DISCOVER", lines[0].RootElement.GetProperty("messageType").GetString());
        Assert.Equal("TruncatedOption", lines[1].RootElement.GetProperty("errorKind").GetString());
        Assert.Equal(243, lines[1].RootElement.GetProperty("errorOffset").GetInt32());
        Assert.Equal("TooShort", lines[2].RootElement.GetProperty("errorKind").GetString());
        Assert.Equal("DISCOVER", lines[3].RootElement.GetProperty("messageType").GetString());

        var text = new StringWriter();
        Assert.Equal(0, DecodeCommand.Run(new FileInfo(path), json: false, text, TextWriter.Null));
        Assert.Contains("MALFORMED", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("4 DHCP message(s), 2 malformed.", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Non_dhcp_traffic_is_skipped()
    {
        string path = WritePcap([(new byte[300], 53, 53)]);
        Assert.Empty(DecodeJson(path));
    }

    [Fact]
    public void Pcapng_and_garbage_files_get_a_clear_error()
    {
        string pcapng = Path.Combine(_directory, "x.pcapng");
        File.WriteAllBytes(pcapng, [0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var error = new StringWriter();
        Assert.Equal(1, DecodeCommand.Run(new FileInfo(pcapng), json: false, TextWriter.Null, error));
        Assert.Contains("pcapng", error.ToString(), StringComparison.Ordinal);

        string truncated = WritePcap(TestPackets.Discover().ToArray());
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..^10]);
        var output = new StringWriter();
        error = new StringWriter();
        Assert.Equal(1, DecodeCommand.Run(new FileInfo(truncated), json: false, output, error));
        Assert.Contains("truncated", error.ToString(), StringComparison.Ordinal);

        Assert.Equal(2, DecodeCommand.Run(new FileInfo(Path.Combine(_directory, "missing.pcap")), json: false, TextWriter.Null, TextWriter.Null));
    }

    [Fact]
    public void Embedded_sample_decodes()
    {
        var output = new StringWriter();
        Assert.Equal(0, DecodeCommand.Run(null, json: false, output, TextWriter.Null));
        Assert.Contains("DISCOVER", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(" 0 malformed.", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UdpDatagramExtractor.LinkTypeEthernet)]
    [InlineData(UdpDatagramExtractor.LinkTypeLinuxSll)]
    [InlineData(UdpDatagramExtractor.LinkTypeLinuxSll2)]
    [InlineData(UdpDatagramExtractor.LinkTypeRaw)]
    public void Link_types_are_unwrapped(int linkType)
    {
        var payload = TestPackets.Discover().ToArray();
        var ip = Ipv4Udp(payload, 68, 67);
        byte[] frame = linkType switch
        {
            UdpDatagramExtractor.LinkTypeEthernet => [.. new byte[12], 0x08, 0x00, .. ip],
            UdpDatagramExtractor.LinkTypeLinuxSll => [.. new byte[14], 0x08, 0x00, .. ip],
            UdpDatagramExtractor.LinkTypeLinuxSll2 => [0x08, 0x00, .. new byte[18], .. ip],
            _ => ip,
        };
        Assert.True(UdpDatagramExtractor.TryExtract(linkType, frame, out var datagram));
        Assert.Equal(67, datagram.DestinationPort);
        Assert.Equal(payload, datagram.Payload.ToArray());
    }

    private List<JsonDocument> DecodeJson(string path)
    {
        var output = new StringWriter();
        Assert.Equal(0, DecodeCommand.Run(new FileInfo(path), json: true, output, TextWriter.Null));
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
    }

    private string WritePcap(params byte[][] payloads) => WritePcap(payloads.Select(p => (p, (ushort)68, (ushort)67)).ToArray());

    private string WritePcap((byte[] Payload, ushort SourcePort, ushort DestinationPort)[] packets)
    {
        string path = Path.Combine(_directory, $"{Guid.NewGuid():n}.pcap");
        using var file = File.Create(path);
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        file.Write(header);
        uint second = 1_700_000_000;
        foreach (var (payload, sourcePort, destinationPort) in packets)
        {
            byte[] frame = [.. new byte[12], 0x08, 0x00, .. Ipv4Udp(payload, sourcePort, destinationPort)];
            var record = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(record, second++);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }

        return path;
    }

    private static byte[] Ipv4Udp(byte[] payload, ushort sourcePort, ushort destinationPort)
    {
        var packet = new byte[28 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        IPv4Address.Any.Write(packet.AsSpan(12));
        IPv4Address.Broadcast.Write(packet.AsSpan(16));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payload.Length));
        payload.CopyTo(packet.AsSpan(28));
        return packet;
    }
}
