using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Capture;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>A DHCP message seen in the capture (ports 67, 68 or 4011).</summary>
internal sealed record DhcpPacket(TimeSpan Time, IPv4Address Source, ushort SourcePort, IPv4Address Destination, ushort DestinationPort, DhcpMessage Message)
{
    public DhcpMessageType Type => Message.MessageType;

    public bool IsReply => Message.Operation == BootOperation.Reply;

    /// <summary>The boot file named by the file field or option 67, or null.</summary>
    public string? BootFile =>
        Message.Options.TryGet(DhcpOptions.BootFileName, out var option) && option.Length > 0 ? option
        : Message.BootFileName.Length > 0 ? Message.BootFileName
        : null;

    public string? VendorClass => Message.Options.TryGet(DhcpOptions.VendorClassIdentifier, out var v) ? v : null;

    public int? Architecture => Message.Options.TryGet(DhcpOptions.ClientArchitecture, out var a) && a.Count > 0 ? (int)a[0] : null;

    public bool IsIpxe => Message.Options.Contains(175) || (Message.Options.TryGet(DhcpOptions.UserClass, out var u) && u.Contains("iPXE"));

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"+{Time.TotalSeconds,7:F3} {Source}:{SourcePort} > {Destination}:{DestinationPort} {Type} xid=0x{Message.TransactionId:x8}");
        text.Append(CultureInfo.InvariantCulture, $" ciaddr={Message.ClientAddress} yiaddr={Message.YourAddress} siaddr={Message.ServerAddress}");
        if (BootFile is { } file)
        {
            text.Append(CultureInfo.InvariantCulture, $" file={file}");
        }

        if (Message.Options.TryGet(DhcpOptions.ServerIdentifier, out var server))
        {
            text.Append(CultureInfo.InvariantCulture, $" server-id={server}");
        }

        if (VendorClass is { } vendor)
        {
            text.Append(CultureInfo.InvariantCulture, $" vendor-class={vendor}");
        }

        if (Architecture is { } arch)
        {
            text.Append(CultureInfo.InvariantCulture, $" arch={arch}");
        }

        if (IsIpxe)
        {
            text.Append(" ipxe");
        }

        return text.ToString();
    }
}

/// <summary>One TFTP read request and everything that answered it.</summary>
internal sealed class TftpTransfer
{
    public required TimeSpan Time { get; init; }

    public required string File { get; init; }

    public required IPv4Address Client { get; init; }

    /// <summary>Where the read request went.</summary>
    public required IPv4Address RequestedFrom { get; init; }

    /// <summary>Source address of every DATA, OACK and ERROR packet sent to the client's port.</summary>
    public HashSet<IPv4Address> Senders { get; } = [];

    public int BlockSize { get; set; } = 512;

    public Dictionary<ushort, int> Blocks { get; } = [];

    /// <summary>A DATA block shorter than the block size arrived and no block before it is missing.</summary>
    public bool Complete { get; set; }

    public long Bytes => Blocks.Values.Sum(b => (long)b);

    /// <summary>An ERROR packet from the server (1 = file not found).</summary>
    public (int Code, string Message)? ServerError { get; set; }

    /// <summary>The client ended the transfer with an ERROR (e.g. EDK2 after asking only for the size).</summary>
    public bool AbortedByClient { get; set; }

    public override string ToString()
    {
        string state = Complete ? $"complete, {Bytes} bytes" : ServerError is { } e ? $"error {e.Code} \"{e.Message}\"" : AbortedByClient ? $"aborted by the client after {Bytes} bytes" : $"incomplete, {Bytes} bytes";
        return string.Create(CultureInfo.InvariantCulture, $"+{Time.TotalSeconds,7:F3} TFTP {Client} asked {RequestedFrom} for {File}: {state}; answered by {string.Join(", ", Senders)}");
    }
}

/// <summary>
/// The DHCP and TFTP conversation in a capture, decoded with the project's own
/// <see cref="PcapReader"/> and <see cref="DhcpMessage"/>.
/// </summary>
internal sealed class BootTrace
{
    private const int DhcpServerPort = 67;
    private const int DhcpClientPort = 68;
    private const int BootServerPort = 4011;
    private const int TftpPort = 69;

    public IReadOnlyList<DhcpPacket> Dhcp { get; private init; } = [];

    public IReadOnlyList<TftpTransfer> Tftp { get; private init; } = [];

    public static BootTrace Read(string path)
    {
        var dhcp = new List<DhcpPacket>();
        var tftp = new List<TftpTransfer>();
        var current = new Dictionary<(IPv4Address, ushort), TftpTransfer>();
        using var reader = PcapReader.Open(path);
        DateTimeOffset? first = null;
        while (reader.ReadNext() is { } record)
        {
            if (!UdpDatagramExtractor.TryExtract(reader.LinkType, record.Data, out var udp))
            {
                continue;
            }

            first ??= record.Timestamp;
            var time = record.Timestamp - first.Value;
            var payload = udp.Payload.Span;
            if (IsDhcpPort(udp.SourcePort) || IsDhcpPort(udp.DestinationPort))
            {
                if (DhcpMessage.TryParse(payload, out var message, out _))
                {
                    dhcp.Add(new DhcpPacket(time, udp.Source, udp.SourcePort, udp.Destination, udp.DestinationPort, message));
                }

                continue;
            }

            if (payload.Length < 4)
            {
                continue;
            }

            int opcode = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (udp.DestinationPort == TftpPort && opcode == 1)
            {
                var fields = Strings(payload[2..]);
                var transfer = new TftpTransfer { Time = time, File = fields.Count > 0 ? fields[0] : "", Client = udp.Source, RequestedFrom = udp.Destination };
                tftp.Add(transfer);
                current[(udp.Source, udp.SourcePort)] = transfer;
            }
            else if (current.TryGetValue((udp.Destination, udp.DestinationPort), out var toClient))
            {
                toClient.Senders.Add(udp.Source);
                FromServer(toClient, opcode, payload);
            }
            else if (current.TryGetValue((udp.Source, udp.SourcePort), out var fromClient) && opcode == 5)
            {
                fromClient.AbortedByClient = true;
            }
        }

        return new BootTrace { Dhcp = dhcp, Tftp = tftp };
    }

    /// <summary>Every DHCP message and TFTP transfer, in order: the evidence for a failure message.</summary>
    public string Timeline()
    {
        var lines = Dhcp.Select(p => (p.Time, Text: p.ToString())).Concat(Tftp.Select(t => (t.Time, Text: t.ToString())))
            .OrderBy(l => l.Time).Select(l => "  " + l.Text);
        return $"capture: {Dhcp.Count} DHCP messages, {Tftp.Count} TFTP read requests\n{string.Join('\n', lines)}";
    }

    private static bool IsDhcpPort(ushort port) => port is DhcpServerPort or DhcpClientPort or BootServerPort;

    private static void FromServer(TftpTransfer transfer, int opcode, ReadOnlySpan<byte> payload)
    {
        switch (opcode)
        {
            case 3: // DATA
                ushort block = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
                int length = payload.Length - 4;
                transfer.Blocks[block] = length;
                if (length < transfer.BlockSize && Enumerable.Range(1, block).All(b => transfer.Blocks.ContainsKey((ushort)b)))
                {
                    transfer.Complete = true;
                }

                break;
            case 5: // ERROR
                transfer.ServerError = (BinaryPrimitives.ReadUInt16BigEndian(payload[2..]), Strings(payload[4..]).FirstOrDefault() ?? "");
                break;
            case 6: // OACK
                var options = Strings(payload[2..]);
                for (int i = 0; i + 1 < options.Count; i += 2)
                {
                    if (options[i].Equals("blksize", StringComparison.OrdinalIgnoreCase) && int.TryParse(options[i + 1], CultureInfo.InvariantCulture, out int size))
                    {
                        transfer.BlockSize = size;
                    }
                }

                break;
        }
    }

    /// <summary>NUL-terminated strings (file name, mode, option names and values).</summary>
    private static List<string> Strings(ReadOnlySpan<byte> data)
    {
        var result = new List<string>();
        while (data.Length > 0)
        {
            int end = data.IndexOf((byte)0);
            if (end < 0)
            {
                end = data.Length;
            }

            result.Add(Encoding.ASCII.GetString(data[..end]));
            data = end < data.Length ? data[(end + 1)..] : [];
        }

        return result;
    }
}
