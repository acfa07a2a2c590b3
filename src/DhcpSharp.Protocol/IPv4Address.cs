using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DhcpSharp.Protocol;

/// <summary>
/// An IPv4 address as a 32-bit value in host order. A value type so that header fields and
/// allocator state cost no allocation (unlike <see cref="IPAddress"/>).
/// </summary>
public readonly record struct IPv4Address(uint Value) : IComparable<IPv4Address>, ISpanFormattable
{
    public static readonly IPv4Address Any = new(0);
    public static readonly IPv4Address Broadcast = new(0xFFFFFFFF);

    public bool IsAny => Value == 0;

    public static IPv4Address Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Value);

    public static IPv4Address FromIPAddress(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"'{address}' is not an IPv4 address.", nameof(address));
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return Read(bytes);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[4];
        Write(bytes);
        return new IPAddress(bytes);
    }

    public static IPv4Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv4 address in dotted-quad form.");

    /// <summary>Strict dotted-quad parse: four decimal octets, nothing else (IPAddress.Parse accepts "1" and "1.2").</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IPv4Address address) =>
        TryParse(text.AsSpan(), out address) && text is not null;

    public static bool TryParse(ReadOnlySpan<char> text, out IPv4Address address)
    {
        address = default;
        uint value = 0;
        int octets = 0;
        int i = 0;
        while (octets < 4)
        {
            int start = i;
            uint octet = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                octet = (octet * 10) + (uint)(text[i] - '0');
                i++;
            }

            if (i == start || octet > 255)
            {
                return false;
            }

            value = (value << 8) | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        if (i != text.Length)
        {
            return false;
        }

        address = new IPv4Address(value);
        return true;
    }

    public int CompareTo(IPv4Address other) => Value.CompareTo(other.Value);

    public static bool operator <(IPv4Address left, IPv4Address right) => left.Value < right.Value;
    public static bool operator >(IPv4Address left, IPv4Address right) => left.Value > right.Value;
    public static bool operator <=(IPv4Address left, IPv4Address right) => left.Value <= right.Value;
    public static bool operator >=(IPv4Address left, IPv4Address right) => left.Value >= right.Value;

    public override string ToString() => ToString(null, null);

    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        Span<char> buffer = stackalloc char[15];
        TryFormat(buffer, out int written, default, null);
        return new string(buffer[..written]);
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            uint octet = (Value >> shift) & 0xFF;
            if (!octet.TryFormat(destination[charsWritten..], out int n, default, CultureInfo.InvariantCulture))
            {
                return false;
            }

            charsWritten += n;
            if (shift > 0)
            {
                if (charsWritten >= destination.Length)
                {
                    return false;
                }

                destination[charsWritten++] = '.';
            }
        }

        return true;
    }
}
