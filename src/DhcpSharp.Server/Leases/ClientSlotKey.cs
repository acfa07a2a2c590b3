using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// A client key ("hw:1:525400c60001", "id:01…") in 16 bytes, for the lease table's client
/// index: exact for hardware addresses of up to 13 bytes and client identifiers of up to 14
/// (every Ethernet client), a SHA-256 prefix (first byte marked) for longer ones, which the table
/// then confirms against the full key.
/// </summary>
internal readonly record struct ClientSlotKey(ulong High, ulong Low)
{
    private const byte KindHardware = 1;
    private const byte KindClientId = 2;
    private const byte HashedMark = 0x80;

    public bool IsHashed => (High >> 56 & HashedMark) != 0;

    public static ClientSlotKey From(string clientKey)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        Span<byte> bytes = stackalloc byte[128];
        if (clientKey.StartsWith("hw:", StringComparison.Ordinal))
        {
            int colon = clientKey.IndexOf(':', 3);
            if (colon > 3 && byte.TryParse(clientKey.AsSpan(3, colon - 3), NumberStyles.None, CultureInfo.InvariantCulture, out byte htype) &&
                TryHex(clientKey.AsSpan(colon + 1), bytes, out int length) && ForHardware(htype, bytes[..length]) is { } exact)
            {
                return exact;
            }
        }
        else if (clientKey.StartsWith("id:", StringComparison.Ordinal) && TryHex(clientKey.AsSpan(3), bytes, out int length) && ForClientId(bytes[..length]) is { } exact)
        {
            return exact;
        }

        Span<byte> key = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(clientKey), key);
        key[0] |= HashedMark;
        return Read(key);
    }

    /// <summary>The exact key of "hw:TYPE:HEX" (null when the address is too long to be exact).</summary>
    public static ClientSlotKey? ForHardware(byte hardwareType, ReadOnlySpan<byte> hardware)
    {
        if (hardware.Length > 13)
        {
            return null;
        }

        Span<byte> key = stackalloc byte[16];
        key.Clear();
        key[0] = KindHardware;
        key[1] = hardwareType;
        key[2] = (byte)hardware.Length;
        hardware.CopyTo(key[3..]);
        return Read(key);
    }

    /// <summary>The exact key of "id:HEX" (null when the identifier is too long to be exact).</summary>
    public static ClientSlotKey? ForClientId(ReadOnlySpan<byte> clientId)
    {
        if (clientId.Length > 14)
        {
            return null;
        }

        Span<byte> key = stackalloc byte[16];
        key.Clear();
        key[0] = KindClientId;
        key[1] = (byte)clientId.Length;
        clientId.CopyTo(key[2..]);
        return Read(key);
    }

    private static bool TryHex(ReadOnlySpan<char> hex, Span<byte> destination, out int length)
    {
        length = 0;
        if (hex.Length % 2 != 0 || hex.Length / 2 > destination.Length)
        {
            return false;
        }

        var status = Convert.FromHexString(hex, destination, out _, out length);
        return status == System.Buffers.OperationStatus.Done;
    }

    private static ClientSlotKey Read(ReadOnlySpan<byte> key) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(key), BinaryPrimitives.ReadUInt64BigEndian(key[8..]));
}
