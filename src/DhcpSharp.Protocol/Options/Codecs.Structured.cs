using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using static DhcpSharp.Protocol.Options.TryResult;

namespace DhcpSharp.Protocol.Options;

/// <summary>Value kinds with structure: client identifier, routes, DNS names, FQDN, user class and the like.</summary>
public static partial class OptionCodecs
{
    public static readonly OptionValueCodec<ClientIdentifier> ClientIdentifierKind = new ClientIdentifierCodec();
    public static readonly OptionValueCodec<IReadOnlyList<ClasslessRoute>> ClasslessRoutes = new ClasslessRouteCodec();
    public static readonly OptionValueCodec<IReadOnlyList<string>> DomainSearchList = new DomainSearchListCodec();
    public static readonly OptionValueCodec<ClientFqdn> ClientFqdnKind = new ClientFqdnCodec();
    public static readonly OptionValueCodec<ClientNetworkInterface> ClientNetworkInterfaceKind = new ClientNdiCodec();
    public static readonly OptionValueCodec<ClientMachineId> ClientMachineIdKind = new ClientMachineIdCodec();
    public static readonly OptionValueCodec<UserClass> UserClassKind = new UserClassCodec();
    public static readonly OptionValueCodec<IReadOnlyList<VendorClassBlock>> VendorClassBlocks = new VendorClassCodec();

    /// <summary>A one-byte value with named values (53, 52, 46, 116).</summary>
    public sealed class NamedByteCodec(string kindName, IReadOnlyDictionary<byte, string> names) : OptionValueCodec<byte>
    {
        public override string KindName => kindName;

        public IReadOnlyDictionary<byte, string> Names => names;

        public override bool TryDecode(ReadOnlySpan<byte> data, out byte value, [NotNullWhen(false)] out string? error) =>
            data.Length == 1 ? Ok(data[0], out value, out error) : Fail($"a {kindName} value is 1 byte, not {data.Length}", out value, out error);

        public override byte[] Encode(byte value) => [value];

        public override string Format(byte value) => names.TryGetValue(value, out var name) ? name : value.ToString(CultureInfo.InvariantCulture);

        public override void WriteJson(Utf8JsonWriter writer, byte value)
        {
            if (names.TryGetValue(value, out var name))
            {
                writer.WriteStringValue(name);
            }
            else
            {
                writer.WriteNumberValue(value);
            }
        }
    }

    /// <summary>Option 55: a list of codes, shown with their names.</summary>
    public sealed class ParameterRequestListCodec(Func<DhcpOptionSpace> space) : OptionValueCodec<IReadOnlyList<byte>>
    {
        public override string KindName => "parameter-request-list";

        /// <summary>The table the codes are named from.</summary>
        public DhcpOptionSpace Space => space();

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<byte> value, [NotNullWhen(false)] out string? error) =>
            Ok<IReadOnlyList<byte>>(data.ToArray(), out value, out error);

        public override byte[] Encode(IReadOnlyList<byte> value) => [.. value];

        public override string Format(IReadOnlyList<byte> value) =>
            string.Join(", ", value.Select(code => space()[code] is { } d ? $"{code} {d.ConfigKey}" : code.ToString(CultureInfo.InvariantCulture)));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<byte> value) => UInt8List.WriteJson(writer, value);
    }

    private sealed class ClientIdentifierCodec : OptionValueCodec<ClientIdentifier>
    {
        public override string KindName => "client-identifier";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out ClientIdentifier value, [NotNullWhen(false)] out string? error) =>
            data.Length >= 2
                ? Ok(new ClientIdentifier(data[0], data[1..].ToArray()), out value, out error)
                : Fail($"a client identifier is a type byte and at least one more byte; got {data.Length}", out value, out error);

        public override byte[] Encode(ClientIdentifier value) => [value.Type, .. value.Identifier];

        public override string Format(ClientIdentifier value) => value.ToString();

        public override void WriteJson(Utf8JsonWriter writer, ClientIdentifier value)
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", value.Type);
            if (value.Type != 0 && value.Type != 255)
            {
                writer.WriteString("hardwareAddress", HardwareAddress.Format(value.Identifier));
            }
            else if (value.Type == 255 && value.Identifier.Length >= 4)
            {
                writer.WriteNumber("iaid", BinaryPrimitives.ReadUInt32BigEndian(value.Identifier));
                writer.WriteString("duid", Hex(value.Identifier.AsSpan(4)));
            }
            else
            {
                writer.WriteString("text", Encoding.Latin1.GetString(value.Identifier));
            }

            writer.WriteString("hex", Hex(value.Identifier));
            writer.WriteEndObject();
        }
    }

    /// <summary>RFC 3442: width byte, significant destination octets, router.</summary>
    private sealed class ClasslessRouteCodec : OptionValueCodec<IReadOnlyList<ClasslessRoute>>
    {
        public override string KindName => "classless-routes";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<ClasslessRoute> value, [NotNullWhen(false)] out string? error)
        {
            var routes = new List<ClasslessRoute>();
            Span<byte> destination = stackalloc byte[4];
            int i = 0;
            while (i < data.Length)
            {
                int width = data[i];
                if (width > 32)
                {
                    return Fail($"route at byte {i}: prefix length {width} is over 32", out value, out error);
                }

                int significant = (width + 7) / 8;
                if (i + 1 + significant + 4 > data.Length)
                {
                    return Fail($"route at byte {i}: /{width} needs {1 + significant + 4} bytes, {data.Length - i} left", out value, out error);
                }

                destination.Clear();
                data.Slice(i + 1, significant).CopyTo(destination);
                var router = IPv4Address.Read(data[(i + 1 + significant)..]);
                routes.Add(new ClasslessRoute(IPv4Address.Read(destination), width, router));
                i += 1 + significant + 4;
            }

            return Ok<IReadOnlyList<ClasslessRoute>>(routes, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<ClasslessRoute> value)
        {
            var bytes = new List<byte>();
            Span<byte> address = stackalloc byte[4];
            foreach (var route in value)
            {
                int significant = (route.PrefixLength + 7) / 8;
                bytes.Add((byte)route.PrefixLength);
                route.Destination.Write(address);
                bytes.AddRange(address[..significant]);
                route.Router.Write(address);
                bytes.AddRange(address);
            }

            return [.. bytes];
        }

        public override string Format(IReadOnlyList<ClasslessRoute> value) => string.Join(", ", value);

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<ClasslessRoute> value)
        {
            writer.WriteStartArray();
            foreach (var route in value)
            {
                writer.WriteStartObject();
                writer.WriteString("destination", $"{route.Destination}/{route.PrefixLength.ToString(CultureInfo.InvariantCulture)}");
                writer.WriteString("router", route.Router.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>RFC 3397: DNS wire-format names; compression pointers (relative to the option value) on read.</summary>
    private sealed class DomainSearchListCodec : OptionValueCodec<IReadOnlyList<string>>
    {
        public override string KindName => "domain-search-list";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<string> value, [NotNullWhen(false)] out string? error)
        {
            var names = new List<string>();
            int position = 0;
            while (position < data.Length)
            {
                if (!DnsName.TryRead(data, ref position, allowCompression: true, out var name, out error))
                {
                    value = null;
                    return false;
                }

                names.Add(name);
            }

            return Ok<IReadOnlyList<string>>(names, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<string> value) => DnsName.WriteList(value, compress: true);

        public override string Format(IReadOnlyList<string> value) => string.Join(", ", value);

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<string> value)
        {
            writer.WriteStartArray();
            foreach (var name in value)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }
    }

    private sealed class ClientFqdnCodec : OptionValueCodec<ClientFqdn>
    {
        public override string KindName => "client-fqdn";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out ClientFqdn value, [NotNullWhen(false)] out string? error)
        {
            if (data.Length < 3)
            {
                return Fail($"client FQDN needs flags, rcode1 and rcode2 (3 bytes); got {data.Length}", out value, out error);
            }

            var flags = (ClientFqdnFlags)data[0];
            var nameBytes = data[3..];
            string name;
            if ((flags & ClientFqdnFlags.CanonicalEncoding) != 0)
            {
                var parts = new List<string>();
                int position = 0;
                while (position < nameBytes.Length)
                {
                    // Partial names (no root label) are allowed by RFC 4702 §2.3.1.
                    int length = nameBytes[position];
                    if (length == 0)
                    {
                        position++;
                        break;
                    }

                    if (length > 63 || position + 1 + length > nameBytes.Length)
                    {
                        return Fail($"client FQDN label at byte {position + 3} is malformed", out value, out error);
                    }

                    parts.Add(Encoding.ASCII.GetString(nameBytes.Slice(position + 1, length)));
                    position += 1 + length;
                }

                name = string.Join('.', parts);
            }
            else
            {
                name = Encoding.ASCII.GetString(nameBytes.TrimEnd((byte)0));
            }

            return Ok(new ClientFqdn(flags, data[1], data[2], name), out value, out error);
        }

        public override byte[] Encode(ClientFqdn value)
        {
            byte[] name = (value.Flags & ClientFqdnFlags.CanonicalEncoding) != 0
                ? DnsName.WriteList([value.DomainName], compress: false, fullyQualified: value.DomainName.EndsWith('.'))
                : Encoding.ASCII.GetBytes(value.DomainName);
            return [(byte)value.Flags, value.RCode1, value.RCode2, .. name];
        }

        public override string Format(ClientFqdn value) => $"flags={FlagLetters(value.Flags)} rcode1={value.RCode1} rcode2={value.RCode2} name=\"{value.DomainName}\"";

        private static string FlagLetters(ClientFqdnFlags flags)
        {
            var letters = new StringBuilder();
            if ((flags & ClientFqdnFlags.NoUpdate) != 0) letters.Append('N');
            if ((flags & ClientFqdnFlags.CanonicalEncoding) != 0) letters.Append('E');
            if ((flags & ClientFqdnFlags.Override) != 0) letters.Append('O');
            if ((flags & ClientFqdnFlags.ServerUpdate) != 0) letters.Append('S');
            return letters.Length == 0 ? "0" : letters.ToString();
        }

        public override void WriteJson(Utf8JsonWriter writer, ClientFqdn value)
        {
            writer.WriteStartObject();
            writer.WriteNumber("flags", (byte)value.Flags);
            writer.WriteNumber("rcode1", value.RCode1);
            writer.WriteNumber("rcode2", value.RCode2);
            writer.WriteString("name", value.DomainName);
            writer.WriteEndObject();
        }
    }

    private sealed class ClientNdiCodec : OptionValueCodec<ClientNetworkInterface>
    {
        public override string KindName => "client-ndi";

        public override bool TryDecode(ReadOnlySpan<byte> data, out ClientNetworkInterface value, [NotNullWhen(false)] out string? error) =>
            data.Length == 3
                ? Ok(new ClientNetworkInterface(data[0], data[1], data[2]), out value, out error)
                : Fail($"client NDI is 3 bytes (type, major, minor), not {data.Length}", out value, out error);

        public override byte[] Encode(ClientNetworkInterface value) => [value.Type, value.Major, value.Minor];

        public override string Format(ClientNetworkInterface value) => value.ToString();

        public override void WriteJson(Utf8JsonWriter writer, ClientNetworkInterface value)
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", value.Type);
            writer.WriteNumber("major", value.Major);
            writer.WriteNumber("minor", value.Minor);
            writer.WriteEndObject();
        }
    }

    private sealed class ClientMachineIdCodec : OptionValueCodec<ClientMachineId>
    {
        public override string KindName => "client-uuid";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out ClientMachineId value, [NotNullWhen(false)] out string? error) =>
            data.Length >= 1
                ? Ok(new ClientMachineId(data[0], data[1..].ToArray()), out value, out error)
                : Fail("client machine identifier is empty", out value, out error);

        public override byte[] Encode(ClientMachineId value) => [value.Type, .. value.Identifier];

        public override string Format(ClientMachineId value) => value.ToString();

        public override void WriteJson(Utf8JsonWriter writer, ClientMachineId value)
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", value.Type);
            if (value.Guid is { } guid)
            {
                writer.WriteString("guid", guid.ToString());
            }

            writer.WriteString("hex", Hex(value.Identifier));
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// Option 77. RFC 3004 is a list of (length, data); iPXE sends the bare string "iPXE". A value
    /// is taken as RFC 3004 only when its length bytes tile it exactly.
    /// </summary>
    private sealed class UserClassCodec : OptionValueCodec<UserClass>
    {
        public override string KindName => "user-class";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out UserClass value, [NotNullWhen(false)] out string? error)
        {
            if (data.IsEmpty)
            {
                return Fail("user class is empty", out value, out error);
            }

            var classes = new List<byte[]>();
            int i = 0;
            while (i < data.Length)
            {
                int length = data[i];
                if (length == 0 || i + 1 + length > data.Length)
                {
                    return Ok(new UserClass([data.ToArray()], false), out value, out error);
                }

                classes.Add(data.Slice(i + 1, length).ToArray());
                i += 1 + length;
            }

            return Ok(new UserClass(classes, true), out value, out error);
        }

        public override byte[] Encode(UserClass value)
        {
            if (!value.IsRfc3004)
            {
                return [.. value.Classes.SelectMany(c => c)];
            }

            var bytes = new List<byte>();
            foreach (var item in value.Classes)
            {
                bytes.Add((byte)item.Length);
                bytes.AddRange(item);
            }

            return [.. bytes];
        }

        public override string Format(UserClass value) =>
            (value.IsRfc3004 ? "" : "raw ") + string.Join(", ", value.ClassNames.Select(n => JsonSerializer.Serialize(n)));

        public override void WriteJson(Utf8JsonWriter writer, UserClass value)
        {
            writer.WriteStartObject();
            writer.WriteString("format", value.IsRfc3004 ? "rfc3004" : "raw");
            writer.WriteStartArray("classes");
            foreach (var name in value.ClassNames)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    /// <summary>Option 124 (RFC 3925): enterprise number, data length, then (length, class) items.</summary>
    private sealed class VendorClassCodec : OptionValueCodec<IReadOnlyList<VendorClassBlock>>
    {
        public override string KindName => "vendor-identifying-class";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<VendorClassBlock> value, [NotNullWhen(false)] out string? error)
        {
            var blocks = new List<VendorClassBlock>();
            int i = 0;
            while (i < data.Length)
            {
                if (i + 5 > data.Length || i + 5 + data[i + 4] > data.Length)
                {
                    return Fail($"vendor class block at byte {i} is truncated", out value, out error);
                }

                uint enterprise = BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
                var inner = data.Slice(i + 5, data[i + 4]);
                var classes = new List<byte[]>();
                int j = 0;
                while (j < inner.Length)
                {
                    if (j + 1 + inner[j] > inner.Length)
                    {
                        return Fail($"vendor class item at byte {i + 5 + j} is truncated", out value, out error);
                    }

                    classes.Add(inner.Slice(j + 1, inner[j]).ToArray());
                    j += 1 + inner[j];
                }

                blocks.Add(new VendorClassBlock(enterprise, classes));
                i += 5 + inner.Length;
            }

            return Ok<IReadOnlyList<VendorClassBlock>>(blocks, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<VendorClassBlock> value)
        {
            var bytes = new List<byte>();
            foreach (var block in value)
            {
                var inner = block.Classes.SelectMany(c => new[] { (byte)c.Length }.Concat(c)).ToArray();
                bytes.AddRange(BigEndian(block.EnterpriseNumber));
                bytes.Add((byte)inner.Length);
                bytes.AddRange(inner);
            }

            return [.. bytes];
        }

        public override string Format(IReadOnlyList<VendorClassBlock> value) =>
            string.Join("; ", value.Select(b => $"enterprise {b.EnterpriseNumber}: {string.Join(", ", b.Classes.Select(c => JsonSerializer.Serialize(Encoding.Latin1.GetString(c))))}"));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<VendorClassBlock> value)
        {
            writer.WriteStartArray();
            foreach (var block in value)
            {
                writer.WriteStartObject();
                writer.WriteNumber("enterprise", block.EnterpriseNumber);
                writer.WriteStartArray("classes");
                foreach (var item in block.Classes)
                {
                    writer.WriteStringValue(Hex(item));
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    internal static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
