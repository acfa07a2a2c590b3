using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using static DhcpSharp.Protocol.Options.TryResult;

namespace DhcpSharp.Protocol.Options;

/// <summary>The stock value kinds. Each is stateless; share the instances.</summary>
public static partial class OptionCodecs
{
    public static readonly OptionValueCodec<IPv4Address> IPv4 = new IPv4Codec();
    public static readonly OptionValueCodec<IReadOnlyList<IPv4Address>> IPv4List = new IPv4ListCodec();
    public static readonly OptionValueCodec<IReadOnlyList<IPv4Pair>> IPv4Pairs = new IPv4PairListCodec();
    public static readonly OptionValueCodec<byte> UInt8 = new UnsignedCodec<byte>("u8");
    public static readonly OptionValueCodec<ushort> UInt16 = new UnsignedCodec<ushort>("u16");
    public static readonly OptionValueCodec<uint> UInt32 = new UnsignedCodec<uint>("u32");
    public static readonly OptionValueCodec<int> Int32 = new Int32Codec();
    public static readonly OptionValueCodec<IReadOnlyList<byte>> UInt8List = new UnsignedListCodec<byte>("u8-list");
    public static readonly OptionValueCodec<IReadOnlyList<ushort>> UInt16List = new UnsignedListCodec<ushort>("u16-list");
    public static readonly OptionValueCodec<IReadOnlyList<uint>> UInt32List = new UnsignedListCodec<uint>("u32-list");
    public static readonly OptionValueCodec<bool> Flag = new FlagCodec();
    public static readonly OptionValueCodec<bool> Presence = new PresenceCodec();
    public static readonly OptionValueCodec<string> Text = new TextCodec();
    public static readonly OptionValueCodec<byte[]> Binary = new BinaryCodec();

    internal static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(data);

    private sealed class IPv4Codec : OptionValueCodec<IPv4Address>
    {
        public override string KindName => "ipv4";

        public override bool TryDecode(ReadOnlySpan<byte> data, out IPv4Address value, [NotNullWhen(false)] out string? error) =>
            data.Length == 4 ? Ok(IPv4Address.Read(data), out value, out error) : Fail($"an IPv4 address is 4 bytes, not {data.Length}", out value, out error);

        public override byte[] Encode(IPv4Address value)
        {
            var bytes = new byte[4];
            value.Write(bytes);
            return bytes;
        }

        public override string Format(IPv4Address value) => value.ToString();

        public override void WriteJson(Utf8JsonWriter writer, IPv4Address value) => writer.WriteStringValue(value.ToString());
    }

    private sealed class IPv4ListCodec : OptionValueCodec<IReadOnlyList<IPv4Address>>
    {
        public override string KindName => "ipv4-list";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<IPv4Address> value, [NotNullWhen(false)] out string? error)
        {
            if (data.Length % 4 != 0)
            {
                return Fail($"a list of IPv4 addresses is a multiple of 4 bytes, not {data.Length}", out value, out error);
            }

            var list = new IPv4Address[data.Length / 4];
            for (int i = 0; i < list.Length; i++)
            {
                list[i] = IPv4Address.Read(data[(i * 4)..]);
            }

            return Ok<IReadOnlyList<IPv4Address>>(list, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<IPv4Address> value)
        {
            var bytes = new byte[value.Count * 4];
            for (int i = 0; i < value.Count; i++)
            {
                value[i].Write(bytes.AsSpan(i * 4));
            }

            return bytes;
        }

        public override string Format(IReadOnlyList<IPv4Address> value) => string.Join(", ", value);

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<IPv4Address> value)
        {
            writer.WriteStartArray();
            foreach (var address in value)
            {
                writer.WriteStringValue(address.ToString());
            }

            writer.WriteEndArray();
        }
    }

    private sealed class IPv4PairListCodec : OptionValueCodec<IReadOnlyList<IPv4Pair>>
    {
        public override string KindName => "ipv4-pairs";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<IPv4Pair> value, [NotNullWhen(false)] out string? error)
        {
            if (data.Length % 8 != 0)
            {
                return Fail($"a list of IPv4 address pairs is a multiple of 8 bytes, not {data.Length}", out value, out error);
            }

            var list = new IPv4Pair[data.Length / 8];
            for (int i = 0; i < list.Length; i++)
            {
                list[i] = new IPv4Pair(IPv4Address.Read(data[(i * 8)..]), IPv4Address.Read(data[((i * 8) + 4)..]));
            }

            return Ok<IReadOnlyList<IPv4Pair>>(list, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<IPv4Pair> value)
        {
            var bytes = new byte[value.Count * 8];
            for (int i = 0; i < value.Count; i++)
            {
                value[i].First.Write(bytes.AsSpan(i * 8));
                value[i].Second.Write(bytes.AsSpan((i * 8) + 4));
            }

            return bytes;
        }

        public override string Format(IReadOnlyList<IPv4Pair> value) => string.Join(", ", value.Select(p => $"{p.First} {p.Second}"));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<IPv4Pair> value)
        {
            writer.WriteStartArray();
            foreach (var pair in value)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(pair.First.ToString());
                writer.WriteStringValue(pair.Second.ToString());
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }
    }

    private sealed class UnsignedCodec<T>(string kindName) : OptionValueCodec<T>
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        private static readonly int Size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

        public override string KindName => kindName;

        public override bool TryDecode(ReadOnlySpan<byte> data, out T value, [NotNullWhen(false)] out string? error) =>
            data.Length == Size
                ? Ok(T.ReadBigEndian(data, isUnsigned: true), out value, out error)
                : Fail($"a {kindName} value is {Size} byte(s), not {data.Length}", out value, out error);

        public override byte[] Encode(T value)
        {
            var bytes = new byte[Size];
            value.WriteBigEndian(bytes);
            return bytes;
        }

        public override string Format(T value) => value.ToString(null, CultureInfo.InvariantCulture);

        public override void WriteJson(Utf8JsonWriter writer, T value) => writer.WriteNumberValue(ulong.CreateTruncating(value));
    }

    private sealed class Int32Codec : OptionValueCodec<int>
    {
        public override string KindName => "i32";

        public override bool TryDecode(ReadOnlySpan<byte> data, out int value, [NotNullWhen(false)] out string? error) =>
            data.Length == 4 ? Ok(BinaryPrimitives.ReadInt32BigEndian(data), out value, out error) : Fail($"an i32 value is 4 bytes, not {data.Length}", out value, out error);

        public override byte[] Encode(int value)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(bytes, value);
            return bytes;
        }

        public override string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

        public override void WriteJson(Utf8JsonWriter writer, int value) => writer.WriteNumberValue(value);
    }

    private sealed class UnsignedListCodec<T>(string kindName) : OptionValueCodec<IReadOnlyList<T>>
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        private static readonly int Size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

        public override string KindName => kindName;

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<T> value, [NotNullWhen(false)] out string? error)
        {
            if (data.Length % Size != 0)
            {
                return Fail($"a {kindName} is a multiple of {Size} bytes, not {data.Length}", out value, out error);
            }

            var list = new T[data.Length / Size];
            for (int i = 0; i < list.Length; i++)
            {
                list[i] = T.ReadBigEndian(data.Slice(i * Size, Size), isUnsigned: true);
            }

            return Ok<IReadOnlyList<T>>(list, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<T> value)
        {
            var bytes = new byte[value.Count * Size];
            for (int i = 0; i < value.Count; i++)
            {
                value[i].WriteBigEndian(bytes, i * Size);
            }

            return bytes;
        }

        public override string Format(IReadOnlyList<T> value) => string.Join(", ", value.Select(v => v.ToString(null, CultureInfo.InvariantCulture)));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<T> value)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                writer.WriteNumberValue(ulong.CreateTruncating(item));
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>RFC 2132 on/off options (19, 20, 27, 29–31, 34, 36, 39): one byte, 0 or 1.</summary>
    private sealed class FlagCodec : OptionValueCodec<bool>
    {
        public override string KindName => "flag";

        public override bool TryDecode(ReadOnlySpan<byte> data, out bool value, [NotNullWhen(false)] out string? error) =>
            data.Length == 1 && data[0] <= 1
                ? Ok(data[0] == 1, out value, out error)
                : Fail(data.Length == 1 ? $"a flag is 0 or 1, not {data[0]}" : $"a flag is 1 byte, not {data.Length}", out value, out error);

        public override byte[] Encode(bool value) => [value ? (byte)1 : (byte)0];

        public override string Format(bool value) => value ? "enabled" : "disabled";

        public override void WriteJson(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);
    }

    /// <summary>Options whose presence is the value (80 rapid commit): zero bytes long.</summary>
    private sealed class PresenceCodec : OptionValueCodec<bool>
    {
        public override string KindName => "presence";

        public override bool TryDecode(ReadOnlySpan<byte> data, out bool value, [NotNullWhen(false)] out string? error) =>
            data.IsEmpty ? Ok(true, out value, out error) : Fail($"this option carries no data, but has {data.Length} bytes", out value, out error);

        public override byte[] Encode(bool value) => [];

        public override string Format(bool value) => "present";

        public override void WriteJson(Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(true);
    }

    /// <summary>
    /// NVT text (RFC 2132 §2): decoded as UTF-8. Trailing NULs, which several servers and ROMs add,
    /// are not part of the shown value; the raw bytes keep them.
    /// </summary>
    private sealed class TextCodec : OptionValueCodec<string>
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public override string KindName => "text";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out string value, [NotNullWhen(false)] out string? error)
        {
            var trimmed = data.TrimEnd((byte)0);
            try
            {
                return Ok(StrictUtf8.GetString(trimmed), out value, out error);
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8: keep every byte visible rather than fail (Latin-1 maps bytes 1:1).
                return Ok(Encoding.Latin1.GetString(trimmed), out value, out error);
            }
        }

        public override byte[] Encode(string value) => Encoding.UTF8.GetBytes(value);

        public override string Format(string value) => JsonSerializer.Serialize(value);

        public override void WriteJson(Utf8JsonWriter writer, string value) => writer.WriteStringValue(value);
    }

    private sealed class BinaryCodec : OptionValueCodec<byte[]>
    {
        public override string KindName => "binary";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out byte[] value, [NotNullWhen(false)] out string? error) =>
            Ok(data.ToArray(), out value, out error);

        public override byte[] Encode(byte[] value) => value;

        /// <summary>Hex, plus the text when every byte is printable ASCII (circuit IDs usually are).</summary>
        public override string Format(byte[] value) =>
            value.Length == 0 ? "(empty)"
            : value.All(b => b is >= 0x20 and < 0x7f) ? $"{JsonSerializer.Serialize(Encoding.ASCII.GetString(value))} ({Hex(value)})"
            : Hex(value);

        public override void WriteJson(Utf8JsonWriter writer, byte[] value) => writer.WriteStringValue(Hex(value));
    }
}

/// <summary>Two addresses (policy filter: address + mask; static route: destination + router).</summary>
public readonly record struct IPv4Pair(IPv4Address First, IPv4Address Second);
