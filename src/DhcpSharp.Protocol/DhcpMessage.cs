using System.Buffers.Binary;
using System.Text;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Protocol;

/// <summary>
/// An owned, mutable BOOTP/DHCP message: what a server builds a reply in and what callbacks see.
/// For the hot receive path without allocation, use <see cref="DhcpPacketReader"/>.
/// </summary>
public sealed class DhcpMessage
{
    private readonly byte[] _clientHardwareAddressField = new byte[DhcpHeaderLayout.ClientHardwareAddressSize];
    private readonly byte[] _serverNameField = new byte[DhcpHeaderLayout.ServerNameSize];
    private readonly byte[] _bootFileField = new byte[DhcpHeaderLayout.BootFileSize];

    public BootOperation Operation { get; set; } = BootOperation.Request;

    /// <summary>htype: 1 = Ethernet; any ARP hardware type is allowed.</summary>
    public byte HardwareType { get; set; } = 1;

    /// <summary>hlen, 0 to 16.</summary>
    public byte HardwareAddressLength
    {
        get;
        set => field = value <= DhcpHeaderLayout.ClientHardwareAddressSize
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "chaddr holds at most 16 bytes");
    } = 6;

    public byte Hops { get; set; }

    public uint TransactionId { get; set; }

    public ushort Seconds { get; set; }

    public ushort Flags { get; set; }

    public bool IsBroadcast
    {
        get => (Flags & DhcpHeaderLayout.BroadcastFlag) != 0;
        set => Flags = value ? (ushort)(Flags | DhcpHeaderLayout.BroadcastFlag) : (ushort)(Flags & ~DhcpHeaderLayout.BroadcastFlag);
    }

    /// <summary>ciaddr.</summary>
    public IPv4Address ClientAddress { get; set; }

    /// <summary>yiaddr.</summary>
    public IPv4Address YourAddress { get; set; }

    /// <summary>siaddr: the next server (TFTP) in replies.</summary>
    public IPv4Address ServerAddress { get; set; }

    /// <summary>giaddr: the relay agent.</summary>
    public IPv4Address GatewayAddress { get; set; }

    /// <summary>The first hlen bytes of chaddr. Setting it also sets hlen.</summary>
    public ReadOnlySpan<byte> ClientHardwareAddress
    {
        get => _clientHardwareAddressField.AsSpan(0, HardwareAddressLength);
        set
        {
            HardwareAddressLength = (byte)value.Length;
            Array.Clear(_clientHardwareAddressField);
            value.CopyTo(_clientHardwareAddressField);
        }
    }

    /// <summary>All 16 chaddr bytes, as on the wire (bytes past hlen are kept, not interpreted).</summary>
    public Span<byte> ClientHardwareAddressField => _clientHardwareAddressField;

    /// <summary>The raw 64-byte sname field.</summary>
    public Span<byte> ServerNameField => _serverNameField;

    /// <summary>The raw 128-byte file field.</summary>
    public Span<byte> BootFileField => _bootFileField;

    /// <summary>sname as text (up to the first NUL).</summary>
    public string ServerName
    {
        get => Encoding.UTF8.GetString(DhcpPacketReader.UpToNul(_serverNameField));
        set => SetField(_serverNameField, value, nameof(ServerName));
    }

    /// <summary>file as text (up to the first NUL).</summary>
    public string BootFileName
    {
        get => Encoding.UTF8.GetString(DhcpPacketReader.UpToNul(_bootFileField));
        set => SetField(_bootFileField, value, nameof(BootFileName));
    }

    public DhcpOptionCollection Options { get; } = new();

    /// <summary>Option 53, or <see cref="DhcpMessageType.None"/> for BOOTP.</summary>
    public DhcpMessageType MessageType
    {
        get => Options.TryGetRaw(DhcpOptionCode.MessageType, out var raw) && raw.Length == 1 ? (DhcpMessageType)raw[0] : DhcpMessageType.None;
        set
        {
            if (value == DhcpMessageType.None)
            {
                Options.Remove(DhcpOptionCode.MessageType);
            }
            else
            {
                Options.SetRaw(DhcpOptionCode.MessageType, [(byte)value]);
            }
        }
    }

    public bool IsBootp => MessageType == DhcpMessageType.None;

    public static DhcpMessage Parse(ReadOnlySpan<byte> packet) =>
        TryParse(packet, out var message, out var error) ? message : throw new DhcpParseException(error);

    public static bool TryParse(ReadOnlySpan<byte> packet, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DhcpMessage? message, out DhcpParseError error)
    {
        message = null;
        if (!DhcpPacketReader.TryRead(packet, out var reader, out error))
        {
            return false;
        }

        message = FromReader(reader);
        return true;
    }

    /// <summary>Copies a validated view into an owned message, joining split options (RFC 3396).</summary>
    public static DhcpMessage FromReader(DhcpPacketReader reader)
    {
        var packet = reader.Packet;
        var message = new DhcpMessage
        {
            Operation = reader.Operation,
            HardwareType = reader.HardwareType,
            HardwareAddressLength = reader.HardwareAddressLength,
            Hops = reader.Hops,
            TransactionId = reader.TransactionId,
            Seconds = reader.Seconds,
            Flags = reader.Flags,
            ClientAddress = reader.ClientAddress,
            YourAddress = reader.YourAddress,
            ServerAddress = reader.ServerAddress,
            GatewayAddress = reader.GatewayAddress,
        };
        packet.Slice(DhcpHeaderLayout.ClientHardwareAddress, DhcpHeaderLayout.ClientHardwareAddressSize).CopyTo(message._clientHardwareAddressField);

        // Fields that carried options (overload) are not names; leave them empty in the model.
        if ((reader.Overload & OptionOverload.ServerName) == 0)
        {
            packet.Slice(DhcpHeaderLayout.ServerName, DhcpHeaderLayout.ServerNameSize).CopyTo(message._serverNameField);
        }

        if ((reader.Overload & OptionOverload.File) == 0)
        {
            packet.Slice(DhcpHeaderLayout.BootFile, DhcpHeaderLayout.BootFileSize).CopyTo(message._bootFileField);
        }

        foreach (var option in reader.GetRawOptions())
        {
            message.Options.Append(option.Code, option.Value);
        }

        return message;
    }

    /// <summary>Writes the message; see <see cref="DhcpMessageWriter"/> for layout rules.</summary>
    public byte[] ToArray(int maximumMessageSize = DhcpMessageWriter.DefaultMaximumMessageSize) =>
        DhcpMessageWriter.ToArray(this, maximumMessageSize);

    /// <summary>A reply skeleton per RFC 2131 table 3: op, htype, hlen, xid, flags, giaddr, chaddr copied.</summary>
    public DhcpMessage CreateReply(DhcpMessageType type)
    {
        var reply = new DhcpMessage
        {
            Operation = BootOperation.Reply,
            HardwareType = HardwareType,
            HardwareAddressLength = HardwareAddressLength,
            TransactionId = TransactionId,
            Flags = Flags,
            GatewayAddress = GatewayAddress,
        };
        _clientHardwareAddressField.CopyTo(reply._clientHardwareAddressField);
        reply.MessageType = type;
        return reply;
    }

    internal static void WriteHeader(DhcpMessage message, Span<byte> destination)
    {
        destination[..DhcpHeaderLayout.Options].Clear();
        destination[DhcpHeaderLayout.Op] = (byte)message.Operation;
        destination[DhcpHeaderLayout.HardwareType] = message.HardwareType;
        destination[DhcpHeaderLayout.HardwareAddressLength] = message.HardwareAddressLength;
        destination[DhcpHeaderLayout.Hops] = message.Hops;
        BinaryPrimitives.WriteUInt32BigEndian(destination[DhcpHeaderLayout.TransactionId..], message.TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[DhcpHeaderLayout.Seconds..], message.Seconds);
        BinaryPrimitives.WriteUInt16BigEndian(destination[DhcpHeaderLayout.Flags..], message.Flags);
        message.ClientAddress.Write(destination[DhcpHeaderLayout.ClientAddress..]);
        message.YourAddress.Write(destination[DhcpHeaderLayout.YourAddress..]);
        message.ServerAddress.Write(destination[DhcpHeaderLayout.ServerAddress..]);
        message.GatewayAddress.Write(destination[DhcpHeaderLayout.GatewayAddress..]);
        message._clientHardwareAddressField.CopyTo(destination[DhcpHeaderLayout.ClientHardwareAddress..]);
        message._serverNameField.CopyTo(destination[DhcpHeaderLayout.ServerName..]);
        message._bootFileField.CopyTo(destination[DhcpHeaderLayout.BootFile..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[DhcpHeaderLayout.MagicCookie..], DhcpHeaderLayout.MagicCookieValue);
    }

    private static void SetField(byte[] field, string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value);
        int count = Encoding.UTF8.GetByteCount(value);
        if (count > field.Length)
        {
            throw new ArgumentException($"{name} is {count} bytes; the field holds {field.Length}.", name);
        }

        Array.Clear(field);
        Encoding.UTF8.GetBytes(value, field);
    }
}
