using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using DhcpSharp.Protocol.Pxe;
using static DhcpSharp.Protocol.Options.TryResult;

namespace DhcpSharp.Protocol.Options;

/// <summary>Value kinds for options that carry sub-options or option 93 (see Codecs.Scalar.cs for the rest).</summary>
public static partial class OptionCodecs
{
    public static readonly OptionValueCodec<IReadOnlyList<ProcessorArchitecture>> ClientArchitectures = new ClientArchitectureCodec();

    /// <summary>
    /// Reads a TLV sub-option list. With <paramref name="padAndEnd"/>, 0 is a one-byte pad and 255
    /// ends the list (PXE 43, iPXE 175); relay agent sub-options (82) have no such codes.
    /// </summary>
    internal static bool TryReadSubOptions(ReadOnlySpan<byte> data, bool padAndEnd, [NotNullWhen(true)] out List<SubOption>? options, [NotNullWhen(false)] out string? error)
    {
        options = [];
        int i = 0;
        while (i < data.Length)
        {
            byte code = data[i];
            if (padAndEnd && code == 0)
            {
                i++;
                continue;
            }

            if (padAndEnd && code == 255)
            {
                break;
            }

            if (i + 1 >= data.Length || i + 2 + data[i + 1] > data.Length)
            {
                options = null;
                error = $"sub-option {code} at byte {i} is truncated";
                return false;
            }

            options.Add(new SubOption(code, data.Slice(i + 2, data[i + 1]).ToArray()));
            i += 2 + data[i + 1];
        }

        error = null;
        return true;
    }

    internal static byte[] WriteSubOptions(IEnumerable<SubOption> options, bool terminate)
    {
        var bytes = new List<byte>();
        foreach (var option in options)
        {
            if (option.Data.Length > 255)
            {
                throw new ArgumentException($"sub-option {option.Code} is {option.Data.Length} bytes; at most 255 fit.", nameof(options));
            }

            bytes.Add(option.Code);
            bytes.Add((byte)option.Data.Length);
            bytes.AddRange(option.Data);
        }

        if (terminate)
        {
            bytes.Add(255);
        }

        return [.. bytes];
    }

    /// <summary>Writes sub-options as [{code, name, hex, value}], decoding each through its space.</summary>
    internal static void WriteSubOptionsJson(Utf8JsonWriter writer, IEnumerable<SubOption> options, DhcpOptionSpace space)
    {
        writer.WriteStartArray();
        foreach (var option in options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", option.Code);
            var definition = space[option.Code];
            if (definition is not null)
            {
                writer.WriteString("name", definition.ConfigKey);
            }

            writer.WriteString("hex", Hex(option.Data));
            if (definition is not null)
            {
                writer.WritePropertyName("value");
                if (!definition.TryWriteJson(writer, option.Data, out _))
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    internal static string FormatSubOptions(IEnumerable<SubOption> options, DhcpOptionSpace space) =>
        string.Join("; ", options.Select(option =>
        {
            var definition = space[option.Code];
            if (definition is null)
            {
                return $"{option.Code}={Hex(option.Data)}";
            }

            return definition.TryFormat(option.Data, out var text, out _)
                ? $"{option.Code} {definition.ConfigKey}={text}"
                : $"{option.Code} {definition.ConfigKey}={Hex(option.Data)} (malformed)";
        }));

    /// <summary>An option whose value is a list of sub-options from <paramref name="space"/> (82, 175).</summary>
    public sealed class EncapsulatedCodec(string kindName, Func<DhcpOptionSpace> space, bool padAndEnd) : OptionValueCodec<IReadOnlyList<SubOption>>
    {
        public override string KindName => kindName;

        public DhcpOptionSpace Space => space();

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<SubOption> value, [NotNullWhen(false)] out string? error)
        {
            bool ok = TryReadSubOptions(data, padAndEnd, out var list, out error);
            value = list;
            return ok;
        }

        public override byte[] Encode(IReadOnlyList<SubOption> value) => WriteSubOptions(value, terminate: false);

        public override string Format(IReadOnlyList<SubOption> value) => FormatSubOptions(value, space());

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<SubOption> value) => WriteSubOptionsJson(writer, value, space());
    }

    /// <summary>
    /// Option 43. Its meaning depends on the vendor class (60), so the value stays bytes; the dump
    /// shows it as PXE sub-options when it parses as such.
    /// </summary>
    public sealed class VendorSpecificCodec(Func<DhcpOptionSpace> pxeSpace) : OptionValueCodec<byte[]>
    {
        public override string KindName => "vendor-specific";

        /// <summary>The sub-option space the dump decodes the value with (PXE).</summary>
        public DhcpOptionSpace Space => pxeSpace();

        /// <summary>The value for PXE-style sub-options: each as code, length, data, then the End code 255.</summary>
        public static byte[] EncodeSubOptions(IEnumerable<SubOption> subOptions) => WriteSubOptions(subOptions, terminate: true);

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out byte[] value, [NotNullWhen(false)] out string? error) =>
            Ok(data.ToArray(), out value, out error);

        public override byte[] Encode(byte[] value) => value;

        public override string Format(byte[] value) =>
            TryReadSubOptions(value, padAndEnd: true, out var list, out _) && list.Count > 0
                ? FormatSubOptions(list, pxeSpace())
                : Hex(value);

        public override void WriteJson(Utf8JsonWriter writer, byte[] value)
        {
            if (TryReadSubOptions(value, padAndEnd: true, out var list, out _) && list.Count > 0)
            {
                WriteSubOptionsJson(writer, list, pxeSpace());
            }
            else
            {
                writer.WriteStringValue(Hex(value));
            }
        }
    }

    /// <summary>Option 125 (RFC 3925): per enterprise, a length and a sub-option list.</summary>
    public sealed class VendorOptionsCodec : OptionValueCodec<IReadOnlyList<VendorOptionsBlock>>
    {
        public override string KindName => "vendor-identifying-options";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<VendorOptionsBlock> value, [NotNullWhen(false)] out string? error)
        {
            var blocks = new List<VendorOptionsBlock>();
            int i = 0;
            while (i < data.Length)
            {
                if (i + 5 > data.Length || i + 5 + data[i + 4] > data.Length)
                {
                    return Fail($"vendor options block at byte {i} is truncated", out value, out error);
                }

                uint enterprise = BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
                if (!TryReadSubOptions(data.Slice(i + 5, data[i + 4]), padAndEnd: false, out var options, out error))
                {
                    value = null;
                    return false;
                }

                blocks.Add(new VendorOptionsBlock(enterprise, options));
                i += 5 + data[i + 4];
            }

            return Ok<IReadOnlyList<VendorOptionsBlock>>(blocks, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<VendorOptionsBlock> value)
        {
            var bytes = new List<byte>();
            foreach (var block in value)
            {
                var inner = WriteSubOptions(block.Options, terminate: false);
                bytes.AddRange(BigEndian(block.EnterpriseNumber));
                bytes.Add(checked((byte)inner.Length));
                bytes.AddRange(inner);
            }

            return [.. bytes];
        }

        public override string Format(IReadOnlyList<VendorOptionsBlock> value) =>
            string.Join("; ", value.Select(b => $"enterprise {b.EnterpriseNumber}: " + string.Join(", ", b.Options.Select(o => $"{o.Code}={Hex(o.Data)}"))));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<VendorOptionsBlock> value)
        {
            writer.WriteStartArray();
            foreach (var block in value)
            {
                writer.WriteStartObject();
                writer.WriteNumber("enterprise", block.EnterpriseNumber);
                writer.WriteStartArray("options");
                foreach (var option in block.Options)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("code", option.Code);
                    writer.WriteString("hex", Hex(option.Data));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    private sealed class ClientArchitectureCodec : OptionValueCodec<IReadOnlyList<ProcessorArchitecture>>
    {
        public override string KindName => "client-architecture-list";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<ProcessorArchitecture> value, [NotNullWhen(false)] out string? error)
        {
            if (data.IsEmpty || data.Length % 2 != 0)
            {
                return Fail($"client architecture is a non-empty list of 16-bit codes; got {data.Length} bytes", out value, out error);
            }

            var list = new ProcessorArchitecture[data.Length / 2];
            for (int i = 0; i < list.Length; i++)
            {
                list[i] = (ProcessorArchitecture)BinaryPrimitives.ReadUInt16BigEndian(data[(i * 2)..]);
            }

            return Ok<IReadOnlyList<ProcessorArchitecture>>(list, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<ProcessorArchitecture> value)
        {
            var bytes = new byte[value.Count * 2];
            for (int i = 0; i < value.Count; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i * 2), (ushort)value[i]);
            }

            return bytes;
        }

        public override string Format(IReadOnlyList<ProcessorArchitecture> value) =>
            string.Join(", ", value.Select(a => $"{(ushort)a} ({a.GetDisplayName()})"));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<ProcessorArchitecture> value)
        {
            writer.WriteStartArray();
            foreach (var architecture in value)
            {
                writer.WriteStartObject();
                writer.WriteNumber("code", (ushort)architecture);
                writer.WriteString("name", architecture.GetDisplayName());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }
}
