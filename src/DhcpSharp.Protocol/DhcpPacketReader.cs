using System.Buffers.Binary;

namespace DhcpSharp.Protocol;

/// <summary>
/// A validated, allocation-free view over a received BOOTP/DHCP message. Construction walks the
/// option TLVs once (respecting every length byte), so later lookups cannot read past the buffer.
/// </summary>
public readonly ref struct DhcpPacketReader
{
    private readonly ReadOnlySpan<byte> _packet;

    private DhcpPacketReader(ReadOnlySpan<byte> packet, OptionOverload overload, DhcpMessageType messageType)
    {
        _packet = packet;
        Overload = overload;
        MessageType = messageType;
    }

    /// <summary>The whole message as received.</summary>
    public ReadOnlySpan<byte> Packet => _packet;

    public BootOperation Operation => (BootOperation)_packet[DhcpHeaderLayout.Op];

    public byte HardwareType => _packet[DhcpHeaderLayout.HardwareType];

    public byte HardwareAddressLength => _packet[DhcpHeaderLayout.HardwareAddressLength];

    public byte Hops => _packet[DhcpHeaderLayout.Hops];

    public uint TransactionId => BinaryPrimitives.ReadUInt32BigEndian(_packet[DhcpHeaderLayout.TransactionId..]);

    public ushort Seconds => BinaryPrimitives.ReadUInt16BigEndian(_packet[DhcpHeaderLayout.Seconds..]);

    public ushort Flags => BinaryPrimitives.ReadUInt16BigEndian(_packet[DhcpHeaderLayout.Flags..]);

    public bool IsBroadcast => (Flags & DhcpHeaderLayout.BroadcastFlag) != 0;

    public IPv4Address ClientAddress => IPv4Address.Read(_packet[DhcpHeaderLayout.ClientAddress..]);

    public IPv4Address YourAddress => IPv4Address.Read(_packet[DhcpHeaderLayout.YourAddress..]);

    public IPv4Address ServerAddress => IPv4Address.Read(_packet[DhcpHeaderLayout.ServerAddress..]);

    public IPv4Address GatewayAddress => IPv4Address.Read(_packet[DhcpHeaderLayout.GatewayAddress..]);

    /// <summary>chaddr cut to hlen bytes.</summary>
    public ReadOnlySpan<byte> ClientHardwareAddress =>
        _packet.Slice(DhcpHeaderLayout.ClientHardwareAddress, HardwareAddressLength);

    /// <summary>The sname field up to its first NUL; empty when option 52 uses it for options.</summary>
    public ReadOnlySpan<byte> ServerName =>
        (Overload & OptionOverload.ServerName) != 0
            ? default
            : UpToNul(_packet.Slice(DhcpHeaderLayout.ServerName, DhcpHeaderLayout.ServerNameSize));

    /// <summary>The file field up to its first NUL; empty when option 52 uses it for options.</summary>
    public ReadOnlySpan<byte> BootFile =>
        (Overload & OptionOverload.File) != 0
            ? default
            : UpToNul(_packet.Slice(DhcpHeaderLayout.BootFile, DhcpHeaderLayout.BootFileSize));

    /// <summary>Which header fields carry options (option 52).</summary>
    public OptionOverload Overload { get; }

    /// <summary>Option 53, or <see cref="DhcpMessageType.None"/> for a BOOTP message.</summary>
    public DhcpMessageType MessageType { get; }

    public bool IsBootp => MessageType == DhcpMessageType.None;

    public static DhcpPacketReader Read(ReadOnlySpan<byte> packet) =>
        TryRead(packet, out var reader, out var error) ? reader : throw new DhcpParseException(error);

    public static bool TryRead(ReadOnlySpan<byte> packet, out DhcpPacketReader reader, out DhcpParseError error)
    {
        reader = default;
        if (packet.Length < DhcpHeaderLayout.MinimumLength)
        {
            error = new DhcpParseError(DhcpParseErrorKind.TooShort, packet.Length,
                $"message is {packet.Length} bytes; a DHCP/BOOTP message has at least {DhcpHeaderLayout.MinimumLength}");
            return false;
        }

        byte op = packet[DhcpHeaderLayout.Op];
        if (op is not ((byte)BootOperation.Request or (byte)BootOperation.Reply))
        {
            error = new DhcpParseError(DhcpParseErrorKind.BadOperation, DhcpHeaderLayout.Op, $"op is {op}; expected 1 (BOOTREQUEST) or 2 (BOOTREPLY)");
            return false;
        }

        byte hlen = packet[DhcpHeaderLayout.HardwareAddressLength];
        if (hlen > DhcpHeaderLayout.ClientHardwareAddressSize)
        {
            error = new DhcpParseError(DhcpParseErrorKind.BadHardwareAddressLength, DhcpHeaderLayout.HardwareAddressLength,
                $"hlen is {hlen}; chaddr holds at most {DhcpHeaderLayout.ClientHardwareAddressSize} bytes");
            return false;
        }

        uint cookie = BinaryPrimitives.ReadUInt32BigEndian(packet[DhcpHeaderLayout.MagicCookie..]);
        if (cookie != DhcpHeaderLayout.MagicCookieValue)
        {
            error = new DhcpParseError(DhcpParseErrorKind.BadMagicCookie, DhcpHeaderLayout.MagicCookie,
                $"magic cookie is 0x{cookie:x8}; expected 0x63825363");
            return false;
        }

        var scan = new RegionScan();
        if (!scan.Run(packet, DhcpHeaderLayout.Options, packet.Length, OptionRegion.Options, out error))
        {
            return false;
        }

        if (scan.OverloadOffset >= 0)
        {
            int lengthOffset = scan.OverloadOffset + 1;
            if (packet[lengthOffset] != 1 || packet[lengthOffset + 1] is 0 or > 3)
            {
                error = new DhcpParseError(DhcpParseErrorKind.BadOverload, scan.OverloadOffset,
                    "option 52 (overload) must be one byte of value 1, 2 or 3");
                return false;
            }

            var overload = (OptionOverload)packet[lengthOffset + 1];
            if ((overload & OptionOverload.File) != 0 &&
                !scan.Run(packet, DhcpHeaderLayout.BootFile, DhcpHeaderLayout.BootFile + DhcpHeaderLayout.BootFileSize, OptionRegion.File, out error))
            {
                return false;
            }

            if ((overload & OptionOverload.ServerName) != 0 &&
                !scan.Run(packet, DhcpHeaderLayout.ServerName, DhcpHeaderLayout.ServerName + DhcpHeaderLayout.ServerNameSize, OptionRegion.ServerName, out error))
            {
                return false;
            }

            reader = new DhcpPacketReader(packet, overload, scan.MessageType);
        }
        else
        {
            reader = new DhcpPacketReader(packet, OptionOverload.None, scan.MessageType);
        }

        error = default;
        return true;
    }

    /// <summary>Every option TLV in wire order, split parts not joined.</summary>
    public RawOptionEnumerator GetRawOptions() => new(_packet, Overload);

    public bool HasOption(byte code)
    {
        foreach (var option in GetRawOptions())
        {
            if (option.Code == code)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The value of an option. Allocation-free when the option appears once (the usual case); an
    /// option split over several TLVs (RFC 3396) is joined into a new array.
    /// </summary>
    public bool TryGetOption(byte code, out ReadOnlySpan<byte> value)
    {
        value = default;
        int parts = 0;
        int totalLength = 0;
        foreach (var option in GetRawOptions())
        {
            if (option.Code == code)
            {
                if (parts == 0)
                {
                    value = option.Value;
                }

                parts++;
                totalLength += option.Value.Length;
            }
        }

        if (parts <= 1)
        {
            return parts == 1;
        }

        var joined = new byte[totalLength];
        int written = 0;
        foreach (var option in GetRawOptions())
        {
            if (option.Code == code)
            {
                option.Value.CopyTo(joined.AsSpan(written));
                written += option.Value.Length;
            }
        }

        value = joined;
        return true;
    }

    internal static ReadOnlySpan<byte> UpToNul(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    /// <summary>One validation pass over a region; remembers 52 (options field only) and 53.</summary>
    private ref struct RegionScan
    {
        public int OverloadOffset;
        public DhcpMessageType MessageType;
        private bool _messageTypeSeen;

        public RegionScan()
        {
            OverloadOffset = -1;
        }

        public bool Run(ReadOnlySpan<byte> packet, int start, int end, OptionRegion region, out DhcpParseError error)
        {
            int i = start;
            while (i < end)
            {
                byte code = packet[i];
                if (code == DhcpOptionCode.Pad)
                {
                    i++;
                    continue;
                }

                if (code == DhcpOptionCode.End)
                {
                    break;
                }

                if (i + 1 >= end)
                {
                    error = Truncated(code, i, region, "its length byte is missing");
                    return false;
                }

                int length = packet[i + 1];
                if (i + 2 + length > end)
                {
                    error = Truncated(code, i, region, $"its length {length} runs {i + 2 + length - end} bytes past the end of the {RegionName(region)}");
                    return false;
                }

                if (code == DhcpOptionCode.Overload && region == OptionRegion.Options && OverloadOffset < 0)
                {
                    OverloadOffset = i;
                }
                else if (code == DhcpOptionCode.MessageType && !_messageTypeSeen && length >= 1)
                {
                    _messageTypeSeen = true;
                    MessageType = (DhcpMessageType)packet[i + 2];
                }

                i += 2 + length;
            }

            error = default;
            return true;
        }

        private static DhcpParseError Truncated(byte code, int offset, OptionRegion region, string why) =>
            new(DhcpParseErrorKind.TruncatedOption, offset, $"option {code} in the {RegionName(region)} is truncated: {why}");

        private static string RegionName(OptionRegion region) => region switch
        {
            OptionRegion.File => "file field",
            OptionRegion.ServerName => "sname field",
            _ => "options field",
        };
    }
}
