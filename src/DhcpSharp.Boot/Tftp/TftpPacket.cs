using System.Buffers.Binary;
using System.Text;

namespace DhcpSharp.Boot.Tftp;

/// <summary>Encoding and decoding of TFTP packets. Parsing never throws on untrusted input.</summary>
public static class TftpPacket
{
    public static TftpOpcode? PeekOpcode(ReadOnlySpan<byte> packet) =>
        packet.Length >= 2 ? (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(packet) : null;

    public static bool TryParseRequest(ReadOnlySpan<byte> packet, out TftpRequest? request, out string? error)
    {
        request = null;
        var opcode = PeekOpcode(packet);
        if (opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            error = "not a read or write request";
            return false;
        }

        var fields = new List<string>();
        var rest = packet[2..];
        while (!rest.IsEmpty)
        {
            int nul = rest.IndexOf((byte)0);
            if (nul < 0)
            {
                error = "request field not NUL-terminated";
                return false;
            }

            fields.Add(Encoding.Latin1.GetString(rest[..nul]));
            rest = rest[(nul + 1)..];
        }

        if (fields.Count < 2 || fields[0].Length == 0)
        {
            error = "request needs a file name and a mode";
            return false;
        }

        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 2; i + 1 < fields.Count; i += 2)
        {
            options[fields[i].ToLowerInvariant()] = fields[i + 1];
        }

        request = new TftpRequest(opcode.Value, fields[0], fields[1].ToLowerInvariant(), options);
        error = null;
        return true;
    }

    public static int WriteData(Span<byte> destination, ushort block, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
        data.CopyTo(destination[4..]);
        return 4 + data.Length;
    }

    public static byte[] Ack(ushort block)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), block);
        return bytes;
    }

    public static byte[] Error(TftpErrorCode code, string message)
    {
        var text = Encoding.ASCII.GetBytes(message);
        var bytes = new byte[4 + text.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)code);
        text.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    public static byte[] OptionAck(IEnumerable<KeyValuePair<string, string>> options)
    {
        var bytes = new List<byte> { 0, (byte)TftpOpcode.OptionAck };
        foreach (var (key, value) in options)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(key));
            bytes.Add(0);
            bytes.AddRange(Encoding.ASCII.GetBytes(value));
            bytes.Add(0);
        }

        return [.. bytes];
    }

    public static bool TryParseAck(ReadOnlySpan<byte> packet, out ushort block)
    {
        block = 0;
        if (packet.Length < 4 || PeekOpcode(packet) != TftpOpcode.Ack)
        {
            return false;
        }

        block = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return true;
    }

    public static bool TryParseError(ReadOnlySpan<byte> packet, out TftpErrorCode code, out string message)
    {
        code = default;
        message = "";
        if (packet.Length < 4 || PeekOpcode(packet) != TftpOpcode.Error)
        {
            return false;
        }

        code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var text = packet[4..];
        int nul = text.IndexOf((byte)0);
        message = Encoding.ASCII.GetString(nul < 0 ? text : text[..nul]);
        return true;
    }
}
