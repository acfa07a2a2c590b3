using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using DhcpSharp.Protocol.Options;
using static DhcpSharp.Protocol.Options.TryResult;

namespace DhcpSharp.Protocol.Pxe;

/// <summary>PXE 43.6 bits (PXE 2.1 §2.4.3.3).</summary>
[Flags]
public enum PxeDiscoveryControl : byte
{
    None = 0,
    DisableBroadcastDiscovery = 1,
    DisableMulticastDiscovery = 2,
    OnlyListedServers = 4,
    /// <summary>A boot file name is present: download it, skip discovery and menu.</summary>
    BootFileDirectly = 8,
}

/// <summary>43.8 entry: a boot-server type and its addresses (none = any server of that type).</summary>
public sealed record PxeBootServer(ushort Type, IReadOnlyList<IPv4Address> Addresses);

/// <summary>43.9 entry: a boot-server type shown as a menu line.</summary>
public sealed record PxeMenuItem(ushort Type, string Description);

/// <summary>43.10: seconds to show the prompt (0 = boot the first item, 255 = wait for a choice).</summary>
public sealed record PxeMenuPrompt(byte Timeout, string Text);

/// <summary>43.71: the boot item a client asks a boot server for, echoed in the reply. Layer bit 15 = credentials.</summary>
public readonly record struct PxeBootItem(ushort Type, ushort Layer);

/// <summary>Codecs for the PXE sub-options of option 43.</summary>
public static class PxeCodecs
{
    public static readonly OptionValueCodec<IReadOnlyList<PxeBootServer>> BootServers = new BootServersCodec();
    public static readonly OptionValueCodec<IReadOnlyList<PxeMenuItem>> BootMenu = new BootMenuCodec();
    public static readonly OptionValueCodec<PxeMenuPrompt> MenuPrompt = new MenuPromptCodec();
    public static readonly OptionValueCodec<PxeBootItem> BootItem = new BootItemCodec();

    private sealed class BootServersCodec : OptionValueCodec<IReadOnlyList<PxeBootServer>>
    {
        public override string KindName => "pxe-boot-servers";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<PxeBootServer> value, [NotNullWhen(false)] out string? error)
        {
            var servers = new List<PxeBootServer>();
            int i = 0;
            while (i < data.Length)
            {
                if (i + 3 > data.Length || i + 3 + (data[i + 2] * 4) > data.Length)
                {
                    return Fail($"boot server entry at byte {i} is truncated", out value, out error);
                }

                ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
                int count = data[i + 2];
                var addresses = new IPv4Address[count];
                for (int a = 0; a < count; a++)
                {
                    addresses[a] = IPv4Address.Read(data[(i + 3 + (a * 4))..]);
                }

                servers.Add(new PxeBootServer(type, addresses));
                i += 3 + (count * 4);
            }

            return Ok<IReadOnlyList<PxeBootServer>>(servers, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<PxeBootServer> value)
        {
            var bytes = new List<byte>();
            Span<byte> buffer = stackalloc byte[4];
            foreach (var server in value)
            {
                bytes.Add((byte)(server.Type >> 8));
                bytes.Add((byte)server.Type);
                bytes.Add(checked((byte)server.Addresses.Count));
                foreach (var address in server.Addresses)
                {
                    address.Write(buffer);
                    bytes.AddRange(buffer);
                }
            }

            return [.. bytes];
        }

        public override string Format(IReadOnlyList<PxeBootServer> value) =>
            string.Join("; ", value.Select(s => $"type 0x{s.Type:x4}: {(s.Addresses.Count == 0 ? "any" : string.Join(", ", s.Addresses))}"));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<PxeBootServer> value)
        {
            writer.WriteStartArray();
            foreach (var server in value)
            {
                writer.WriteStartObject();
                writer.WriteNumber("type", server.Type);
                writer.WriteStartArray("addresses");
                foreach (var address in server.Addresses)
                {
                    writer.WriteStringValue(address.ToString());
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    private sealed class BootMenuCodec : OptionValueCodec<IReadOnlyList<PxeMenuItem>>
    {
        public override string KindName => "pxe-boot-menu";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out IReadOnlyList<PxeMenuItem> value, [NotNullWhen(false)] out string? error)
        {
            var items = new List<PxeMenuItem>();
            int i = 0;
            while (i < data.Length)
            {
                if (i + 3 > data.Length || i + 3 + data[i + 2] > data.Length)
                {
                    return Fail($"menu entry at byte {i} is truncated", out value, out error);
                }

                items.Add(new PxeMenuItem(BinaryPrimitives.ReadUInt16BigEndian(data[i..]), Encoding.ASCII.GetString(data.Slice(i + 3, data[i + 2]))));
                i += 3 + data[i + 2];
            }

            return Ok<IReadOnlyList<PxeMenuItem>>(items, out value, out error);
        }

        public override byte[] Encode(IReadOnlyList<PxeMenuItem> value)
        {
            var bytes = new List<byte>();
            foreach (var item in value)
            {
                byte[] text = Encoding.ASCII.GetBytes(item.Description);
                bytes.Add((byte)(item.Type >> 8));
                bytes.Add((byte)item.Type);
                bytes.Add(checked((byte)text.Length));
                bytes.AddRange(text);
            }

            return [.. bytes];
        }

        public override string Format(IReadOnlyList<PxeMenuItem> value) =>
            string.Join("; ", value.Select(m => $"0x{m.Type:x4} \"{m.Description}\""));

        public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<PxeMenuItem> value)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                writer.WriteStartObject();
                writer.WriteNumber("type", item.Type);
                writer.WriteString("description", item.Description);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    private sealed class MenuPromptCodec : OptionValueCodec<PxeMenuPrompt>
    {
        public override string KindName => "pxe-menu-prompt";

        public override bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out PxeMenuPrompt value, [NotNullWhen(false)] out string? error) =>
            data.Length >= 1
                ? Ok(new PxeMenuPrompt(data[0], Encoding.ASCII.GetString(data[1..])), out value, out error)
                : Fail("menu prompt needs a timeout byte", out value, out error);

        public override byte[] Encode(PxeMenuPrompt value) => [value.Timeout, .. Encoding.ASCII.GetBytes(value.Text)];

        public override string Format(PxeMenuPrompt value) => $"timeout {value.Timeout} \"{value.Text}\"";

        public override void WriteJson(Utf8JsonWriter writer, PxeMenuPrompt value)
        {
            writer.WriteStartObject();
            writer.WriteNumber("timeout", value.Timeout);
            writer.WriteString("text", value.Text);
            writer.WriteEndObject();
        }
    }

    private sealed class BootItemCodec : OptionValueCodec<PxeBootItem>
    {
        public override string KindName => "pxe-boot-item";

        public override bool TryDecode(ReadOnlySpan<byte> data, out PxeBootItem value, [NotNullWhen(false)] out string? error) =>
            data.Length == 4
                ? Ok(new PxeBootItem(BinaryPrimitives.ReadUInt16BigEndian(data), BinaryPrimitives.ReadUInt16BigEndian(data[2..])), out value, out error)
                : Fail($"boot item is 4 bytes (type, layer), not {data.Length}", out value, out error);

        public override byte[] Encode(PxeBootItem value) => [(byte)(value.Type >> 8), (byte)value.Type, (byte)(value.Layer >> 8), (byte)value.Layer];

        public override string Format(PxeBootItem value) => $"type 0x{value.Type:x4} layer {value.Layer}";

        public override void WriteJson(Utf8JsonWriter writer, PxeBootItem value)
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", value.Type);
            writer.WriteNumber("layer", value.Layer);
            writer.WriteEndObject();
        }
    }
}
