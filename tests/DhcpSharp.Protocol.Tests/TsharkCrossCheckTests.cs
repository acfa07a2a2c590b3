using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DhcpSharp.Protocol.Capture;

namespace DhcpSharp.Protocol.Tests;

/// <summary>
/// An independent oracle: Wireshark's DHCP dissector (tshark, run as a child process) must agree
/// with our codec on every DHCP packet of every committed capture — header fields, and the option
/// TLVs (code, raw value, offset, region) in wire order. Never skipped: without tshark on PATH
/// (or in $TSHARK) these tests fail; CI installs it.
/// </summary>
/// <remarks>
/// Extraction is based on what <c>tshark -T json -x</c> actually prints (checked against 4.0):
/// every field has a sibling <c>NAME_raw</c> array <c>[hex, frame offset, length, bitmask, type]</c>;
/// each option is a <c>dhcp.option.type_raw</c> covering code + length + value (pad and end are
/// one-byte entries), and its decoding sits in the following <c>dhcp.option.type_tree</c>. Keys
/// repeat within one object (one per option), so the JSON is read with
/// <see cref="JsonElement.EnumerateObject"/>, which keeps duplicates in document order. Options
/// carried in file/sname (option 52) are nested by tshark inside option 52's tree under text
/// labels ("Server host name option overload", "Boot file name option overload"), sname first;
/// they are re-grouped here by region in RFC 2131 §4.1 order (options, file, sname).
/// </remarks>
public class TsharkCrossCheckTests
{
    public static TheoryData<string> Captures() => new(CaptureFiles.All().Select(Path.GetFileName)!);

    [Fact]
    public void There_are_committed_captures_to_cross_check() =>
        Assert.True(CaptureFiles.All().Any(), $"no *.pcap under {CaptureFiles.Directory}");

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task Capture_agrees_with_tshark(string capture)
    {
        var summary = await TsharkOracle.CrossCheckAsync(Path.Combine(CaptureFiles.Directory, capture), TestContext.Current.CancellationToken);

        Assert.True(summary.Packets >= 1, $"{capture}: tshark and PcapReader found no DHCP packet");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{capture}: {summary.Packets} DHCP packets, {summary.Options} options compared with tshark");
    }

    /// <summary>
    /// The committed captures have no overload, no split option and only Ethernet chaddr; this
    /// builds a capture that has them (plus BOOTP, a zero-length option, port 4011, missing End).
    /// </summary>
    [Fact]
    public async Task Synthetic_overload_split_and_odd_hardware_agree_with_tshark()
    {
        var directory = Directory.CreateTempSubdirectory("dhcpsharp-tshark-synth-");
        try
        {
            string path = Path.Combine(directory.FullName, "synthetic.pcap");
            var payloads = SyntheticPayloads();
            SyntheticCapture.Write(path, payloads.Select(p => SyntheticCapture.EthernetFrame(p.Payload, p.DestinationPort)));

            var summary = await TsharkOracle.CrossCheckAsync(path, TestContext.Current.CancellationToken);

            Assert.Equal(payloads.Count, summary.Packets);
            Assert.Equal(payloads.Sum(p => p.ExpectedOptions), summary.Options);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static List<(byte[] Payload, ushort DestinationPort, int ExpectedOptions)> SyntheticPayloads()
    {
        return
        [
            // Overload 3: options continue in file, then sname; option 12 split three ways (RFC 3396); pads everywhere.
            (SyntheticCapture.Dhcp(
                options: [53, 1, 1, 52, 1, 3, 12, 3, .. "abc"u8, 80, 0, 0, 0, 0, 255],
                sname: [12, 2, .. "gh"u8, 15, 3, .. "lan"u8, 255],
                file: [12, 3, .. "def"u8, 0, 0, 6, 4, 1, 1, 1, 1, 255]), 67, 8),

            // Overload 1 (file only) in a reply; sname keeps a real name; bytes after End are not options.
            (SyntheticCapture.Dhcp(
                op: 2,
                options: [53, 1, 2, 52, 1, 1, 255, 0, 0, 0, 12, 1, (byte)'x'],
                sname: "tftp-server"u8.ToArray(),
                file: [67, 4, .. "a.ef"u8, 255]), 68, 3),

            // 16-byte chaddr of another hardware type, option 43 split in two, no End option, to port 4011.
            (SyntheticCapture.Dhcp(
                htype: 32,
                chaddr: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
                options: [53, 1, 3, 43, 2, 1, 1, 43, 3, 2, 1, 9, 0, 0],
                file: "pxelinux.0"u8.ToArray()), 4011, 3),

            // hlen 0 and BOOTP (no option 53).
            (SyntheticCapture.Dhcp(chaddr: [], options: [1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 0, 1, 255]), 67, 2),
        ];
    }

    /// <summary>Runs tshark and compares its dissection of one capture with ours.</summary>
    private static class TsharkOracle
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

        public static async Task<(int Packets, int Options)> CrossCheckAsync(string pcapPath, CancellationToken cancellationToken)
        {
            var ours = OurDhcpFrames(pcapPath);
            string json = await RunTsharkAsync(pcapPath, cancellationToken);
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = true, MaxDepth = 256 });
            var theirs = document.RootElement.EnumerateArray().Select(ReadPacket).ToList();

            string name = Path.GetFileName(pcapPath);
            Assert.True(
                ours.Keys.SequenceEqual(theirs.Select(p => p.FrameNumber)),
                $"{name}: DHCP frames differ; PcapReader+UdpDatagramExtractor (ports 67/68/4011): [{string.Join(", ", ours.Keys)}], " +
                $"tshark -Y dhcp: [{string.Join(", ", theirs.Select(p => p.FrameNumber))}]");

            int options = 0;
            foreach (var packet in theirs)
            {
                options += ComparePacket($"{name} frame {packet.FrameNumber}", ours[packet.FrameNumber], packet);
            }

            return (theirs.Count, options);
        }

        /// <summary>Frame number (1-based, as tshark counts) to UDP payload, for DHCP/PXE ports.</summary>
        private static SortedDictionary<int, byte[]> OurDhcpFrames(string pcapPath)
        {
            var frames = new SortedDictionary<int, byte[]>();
            using var reader = PcapReader.Open(pcapPath);
            int frameNumber = 0;
            foreach (var record in reader.ReadAll())
            {
                frameNumber++;
                if (UdpDatagramExtractor.TryExtract(reader.LinkType, record.Data, out var datagram) &&
                    (datagram.SourcePort is 67 or 68 or 4011 || datagram.DestinationPort is 67 or 68 or 4011))
                {
                    frames.Add(frameNumber, datagram.Payload.ToArray());
                }
            }

            return frames;
        }

        private static int ComparePacket(string where, byte[] payload, TsharkPacket tshark)
        {
            Assert.True(payload.AsSpan().SequenceEqual(tshark.Payload),
                $"{where}: UDP payload differs from tshark's dhcp layer ({payload.Length} vs {tshark.Payload.Length} bytes)");

            Assert.True(DhcpPacketReader.TryRead(payload, out var reader, out var error), $"{where}: our reader rejects a packet tshark dissects: {error.Message}");
            var message = DhcpMessage.Parse(payload);

            // Header: tshark's bytes and offsets against the values of the parsed model.
            Span<byte> u32 = stackalloc byte[4];
            Span<byte> u16 = stackalloc byte[2];
            Field(where, tshark, "dhcp.type", DhcpHeaderLayout.Op, [(byte)message.Operation]);
            Field(where, tshark, "dhcp.hw.type", DhcpHeaderLayout.HardwareType, [message.HardwareType]);
            Field(where, tshark, "dhcp.hw.len", DhcpHeaderLayout.HardwareAddressLength, [message.HardwareAddressLength]);
            Field(where, tshark, "dhcp.hops", DhcpHeaderLayout.Hops, [message.Hops]);
            BinaryPrimitives.WriteUInt32BigEndian(u32, message.TransactionId);
            Field(where, tshark, "dhcp.id", DhcpHeaderLayout.TransactionId, u32);
            BinaryPrimitives.WriteUInt16BigEndian(u16, message.Seconds);
            Field(where, tshark, "dhcp.secs", DhcpHeaderLayout.Seconds, u16);
            BinaryPrimitives.WriteUInt16BigEndian(u16, message.Flags);
            Field(where, tshark, "dhcp.flags", DhcpHeaderLayout.Flags, u16);
            message.ClientAddress.Write(u32);
            Field(where, tshark, "dhcp.ip.client", DhcpHeaderLayout.ClientAddress, u32);
            message.YourAddress.Write(u32);
            Field(where, tshark, "dhcp.ip.your", DhcpHeaderLayout.YourAddress, u32);
            message.ServerAddress.Write(u32);
            Field(where, tshark, "dhcp.ip.server", DhcpHeaderLayout.ServerAddress, u32);
            message.GatewayAddress.Write(u32);
            Field(where, tshark, "dhcp.ip.relay", DhcpHeaderLayout.GatewayAddress, u32);

            // chaddr: tshark names it mac_addr for Ethernet/6, addr otherwise, and omits it when hlen is 0.
            string chaddrField = tshark.Fields.ContainsKey("dhcp.hw.mac_addr") ? "dhcp.hw.mac_addr" : "dhcp.hw.addr";
            if (message.HardwareAddressLength > 0)
            {
                Field(where, tshark, chaddrField, DhcpHeaderLayout.ClientHardwareAddress, message.ClientHardwareAddress);
            }
            else
            {
                Assert.False(tshark.Fields.ContainsKey(chaddrField), $"{where}: hlen is 0 but tshark shows {chaddrField}");
            }

            if (tshark.Fields.ContainsKey("dhcp.hw.addr_padding"))
            {
                Field(where, tshark, "dhcp.hw.addr_padding", DhcpHeaderLayout.ClientHardwareAddress + message.HardwareAddressLength,
                    message.ClientHardwareAddressField[message.HardwareAddressLength..]);
            }

            // sname/file: tshark prints the raw field only when option 52 does not claim it.
            NameField(where, tshark, "dhcp.server", DhcpHeaderLayout.ServerName, message.ServerNameField,
                overloaded: (reader.Overload & OptionOverload.ServerName) != 0);
            NameField(where, tshark, "dhcp.file", DhcpHeaderLayout.BootFile, message.BootFileField,
                overloaded: (reader.Overload & OptionOverload.File) != 0);

            // Options: code, raw value, offset and region of every TLV, in wire order, split parts apart.
            var ourOptions = new List<string>();
            foreach (var option in reader.GetRawOptions())
            {
                ourOptions.Add(Describe(option.Region, option.Offset, option.Code, option.Value));
            }

            var theirOptions = tshark.Options
                .Select(o => (Region: RegionOf(o.Offset), o))
                .OrderBy(o => o.Region) // stable: keeps tshark's order inside a region
                .Select(o => Describe(o.Region, o.o.Offset, o.o.Code, o.o.Value))
                .ToList();
            if (!theirOptions.SequenceEqual(ourOptions, StringComparer.Ordinal))
            {
                Assert.Fail($"{where}: option TLVs differ (region@payload offset: code [value]).\n" +
                    $"  tshark:           {string.Join(" | ", theirOptions)}\n" +
                    $"  GetRawOptions():  {string.Join(" | ", ourOptions)}");
            }

            // Message type: tshark's decoded option 53 against both our views.
            var expectedType = tshark.MessageType is { } type ? (DhcpMessageType)type : DhcpMessageType.None;
            Assert.True(expectedType == reader.MessageType, $"{where}: tshark says message type {expectedType}, our reader {reader.MessageType}");
            Assert.True(expectedType == message.MessageType, $"{where}: tshark says message type {expectedType}, DhcpMessage {message.MessageType}");

            return ourOptions.Count;
        }

        private static void Field(string where, TsharkPacket tshark, string name, int expectedOffset, ReadOnlySpan<byte> expected)
        {
            Assert.True(tshark.Fields.TryGetValue(name, out var field), $"{where}: tshark output has no {name}_raw");
            Assert.True(field.Offset == expectedOffset, $"{where}: tshark puts {name} at payload offset {field.Offset}, the header layout at {expectedOffset}");
            Assert.True(expected.SequenceEqual(field.Bytes),
                $"{where}: {name}: ours {Convert.ToHexStringLower(expected)}, tshark {Convert.ToHexStringLower(field.Bytes)}");
        }

        private static void NameField(string where, TsharkPacket tshark, string name, int offset, ReadOnlySpan<byte> ours, bool overloaded)
        {
            if (overloaded)
            {
                Assert.False(tshark.Fields.ContainsKey(name), $"{where}: option 52 overloads {name} for us, but tshark shows it as a name");
                Assert.True(ours.IndexOfAnyExcept((byte)0) < 0, $"{where}: overloaded {name} should be empty in the DhcpMessage model");
            }
            else
            {
                Assert.True(tshark.Fields.ContainsKey(name), $"{where}: tshark treats {name} as overloaded, our reader does not");
                Field(where, tshark, name, offset, ours);
            }
        }

        private static OptionRegion RegionOf(int offset) => offset switch
        {
            >= DhcpHeaderLayout.Options => OptionRegion.Options,
            >= DhcpHeaderLayout.BootFile and < DhcpHeaderLayout.MagicCookie => OptionRegion.File,
            >= DhcpHeaderLayout.ServerName and < DhcpHeaderLayout.BootFile => OptionRegion.ServerName,
            _ => throw new InvalidOperationException($"tshark reports an option at payload offset {offset}, inside the fixed header"),
        };

        private static string Describe(OptionRegion region, int offset, byte code, ReadOnlySpan<byte> value) =>
            $"{region}@{offset}: {code} [{Convert.ToHexStringLower(value)}]";

        private static TsharkPacket ReadPacket(JsonElement packet)
        {
            var layers = packet.GetProperty("_source").GetProperty("layers");
            int frameNumber = int.Parse(layers.GetProperty("frame").GetProperty("frame.number").GetString()!, CultureInfo.InvariantCulture);
            var (payload, dhcpStart) = Raw(layers.GetProperty("dhcp_raw"));
            var dhcp = layers.GetProperty("dhcp");

            var fields = new Dictionary<string, (int Offset, byte[] Bytes)>(StringComparer.Ordinal);
            var options = new List<TsharkOption>();
            int? messageType = null;
            int lastCode = -1;
            foreach (var property in dhcp.EnumerateObject())
            {
                if (property.NameEquals("dhcp.option.type_raw"))
                {
                    lastCode = AddOption(property.Value, dhcpStart, options);
                }
                else if (property.NameEquals("dhcp.option.type_tree"))
                {
                    if (lastCode == DhcpOptionCode.MessageType && messageType is null &&
                        property.Value.TryGetProperty("dhcp.option.dhcp", out var decoded))
                    {
                        messageType = int.Parse(decoded.GetString()!, CultureInfo.InvariantCulture);
                    }
                    else if (lastCode == DhcpOptionCode.Overload)
                    {
                        // Options inside file/sname hang under text-labelled subtrees of option 52.
                        foreach (var child in property.Value.EnumerateObject())
                        {
                            if (child.Value.ValueKind == JsonValueKind.Object && !child.Name.StartsWith("dhcp.", StringComparison.Ordinal))
                            {
                                foreach (var nested in child.Value.EnumerateObject())
                                {
                                    if (nested.NameEquals("dhcp.option.type_raw"))
                                    {
                                        AddOption(nested.Value, dhcpStart, options);
                                    }
                                }
                            }
                        }
                    }
                }
                else if (property.Name.EndsWith("_raw", StringComparison.Ordinal) && !property.Name.StartsWith("dhcp.option.", StringComparison.Ordinal))
                {
                    var (bytes, offset) = Raw(property.Value);
                    fields.TryAdd(property.Name[..^"_raw".Length], (offset - dhcpStart, bytes));
                }
            }

            return new TsharkPacket(frameNumber, payload, fields, options, messageType);
        }

        /// <summary>Adds a TLV (not pad/end) and returns its code.</summary>
        private static int AddOption(JsonElement raw, int dhcpStart, List<TsharkOption> into)
        {
            var (tlv, offset) = Raw(raw);
            Assert.NotEmpty(tlv);
            byte code = tlv[0];
            if (code is DhcpOptionCode.Pad or DhcpOptionCode.End)
            {
                return code;
            }

            Assert.True(tlv.Length >= 2 && tlv[1] == tlv.Length - 2,
                $"tshark option TLV {Convert.ToHexStringLower(tlv)} at frame offset {offset} is not code+length+value");
            into.Add(new TsharkOption(code, tlv[2..], offset - dhcpStart));
            return code;
        }

        /// <summary>A -x "_raw" array: [hex, offset in frame, length, bitmask, type].</summary>
        private static (byte[] Bytes, int Offset) Raw(JsonElement raw)
        {
            var bytes = Convert.FromHexString(raw[0].GetString()!);
            int offset = raw[1].GetInt32();
            int length = raw[2].GetInt32();
            Assert.True(bytes.Length == length, $"tshark raw field at {offset}: {bytes.Length} bytes of hex for length {length}");
            return (bytes, offset);
        }

        private static async Task<string> RunTsharkAsync(string pcapPath, CancellationToken cancellationToken)
        {
            string executable = Environment.GetEnvironmentVariable("TSHARK") is { Length: > 0 } configured ? configured : "tshark";
            var configDirectory = Directory.CreateTempSubdirectory("dhcpsharp-tshark-config-");
            try
            {
                var start = new ProcessStartInfo(executable)
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                    StandardOutputEncoding = Encoding.UTF8,
                };
                foreach (string argument in (string[])["-n", "-r", pcapPath, "-Y", "dhcp", "-T", "json", "-x"])
                {
                    start.ArgumentList.Add(argument);
                }

                // An empty personal profile: no user Decode As, disabled protocols or preferences.
                start.Environment["WIRESHARK_CONFIG_DIR"] = configDirectory.FullName;

                Process? process;
                try
                {
                    process = Process.Start(start);
                }
                catch (Win32Exception e)
                {
                    Assert.Fail($"tshark is required for this cross-check and could not be started ('{executable}': {e.Message}). " +
                        "Install it (apt-get install tshark) or set TSHARK to its path; this test never skips.");
                    throw;
                }

                Assert.NotNull(process);
                using (process)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(Timeout);
                    var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                    var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                    try
                    {
                        await process.WaitForExitAsync(timeout.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        process.Kill(entireProcessTree: true);
                        if (!cancellationToken.IsCancellationRequested)
                        {
                            Assert.Fail($"tshark did not finish {Path.GetFileName(pcapPath)} within {Timeout.TotalSeconds} s");
                        }

                        throw;
                    }

                    string output = await stdout;
                    string errors = await stderr;
                    Assert.True(process.ExitCode == 0, $"tshark exited with {process.ExitCode} on {Path.GetFileName(pcapPath)}: {errors}");
                    return output;
                }
            }
            finally
            {
                configDirectory.Delete(recursive: true);
            }
        }
    }

    private sealed record TsharkOption(byte Code, byte[] Value, int Offset);

    /// <summary>One packet as tshark saw it; offsets are relative to the DHCP payload.</summary>
    private sealed record TsharkPacket(
        int FrameNumber,
        byte[] Payload,
        Dictionary<string, (int Offset, byte[] Bytes)> Fields,
        List<TsharkOption> Options,
        int? MessageType);

    /// <summary>Hand-built DHCP messages in an Ethernet/IPv4/UDP classic pcap.</summary>
    private static class SyntheticCapture
    {
        public static byte[] Dhcp(byte[] options, byte op = 1, byte htype = 1, byte[]? chaddr = null, byte[]? sname = null, byte[]? file = null)
        {
            chaddr ??= [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
            var packet = new byte[DhcpHeaderLayout.Options + options.Length];
            packet[DhcpHeaderLayout.Op] = op;
            packet[DhcpHeaderLayout.HardwareType] = htype;
            packet[DhcpHeaderLayout.HardwareAddressLength] = (byte)chaddr.Length;
            packet[DhcpHeaderLayout.Hops] = 3;
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(DhcpHeaderLayout.TransactionId), 0xdeadbeef);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(DhcpHeaderLayout.Seconds), 0x1234);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(DhcpHeaderLayout.Flags), 0x8001);
            for (int i = 0; i < 16; i++)
            {
                packet[DhcpHeaderLayout.ClientAddress + i] = (byte)(10 + i); // ciaddr, yiaddr, siaddr, giaddr all distinct
            }

            chaddr.CopyTo(packet.AsSpan(DhcpHeaderLayout.ClientHardwareAddress));
            sname?.CopyTo(packet.AsSpan(DhcpHeaderLayout.ServerName));
            file?.CopyTo(packet.AsSpan(DhcpHeaderLayout.BootFile));
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(DhcpHeaderLayout.MagicCookie), DhcpHeaderLayout.MagicCookieValue);
            options.CopyTo(packet.AsSpan(DhcpHeaderLayout.Options));
            return packet;
        }

        public static byte[] EthernetFrame(byte[] payload, ushort destinationPort)
        {
            ushort sourcePort = destinationPort == 68 ? (ushort)67 : (ushort)68;
            var frame = new byte[14 + 20 + 8 + payload.Length];
            var span = frame.AsSpan();
            span[..6].Fill(0xff);
            byte[] source = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
            source.CopyTo(span[6..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[12..], 0x0800);
            var ip = span[14..];
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload.Length));
            ip[8] = 64;
            ip[9] = 17;
            ip[16..20].Fill(0xff);
            uint sum = 0;
            for (int i = 0; i < 20; i += 2)
            {
                sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
            }

            sum = (sum & 0xffff) + (sum >> 16);
            sum = (sum & 0xffff) + (sum >> 16);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
            var udp = ip[20..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
            payload.CopyTo(udp[8..]);
            return frame;
        }

        public static void Write(string path, IEnumerable<byte[]> frames)
        {
            using var stream = File.Create(path);
            Span<byte> header = stackalloc byte[24];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], UdpDatagramExtractor.LinkTypeEthernet);
            stream.Write(header);
            uint seconds = 1_700_000_000;
            Span<byte> record = stackalloc byte[16];
            foreach (var frame in frames)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(record, seconds++);
                BinaryPrimitives.WriteUInt32LittleEndian(record[4..], 0);
                BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
                stream.Write(record);
                stream.Write(frame);
            }
        }
    }
}
