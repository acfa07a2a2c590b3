using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using static DhcpSharp.Protocol.Options.TryResult;

namespace DhcpSharp.Server.Configuration;

/// <summary>Configuration forms of the structured option kinds (client identifier, routes, sub-options, PXE …).</summary>
internal static partial class OptionValueParsers
{
    /// <summary>"01:52:54:00:12:34:56" (type byte included) or { "type": 1, "hex": "525400123456" }.</summary>
    public static bool ClientIdentifier(JsonElement element, [MaybeNullWhen(false)] out ClientIdentifier value, [NotNullWhen(false)] out string? error)
    {
        if (TryParseHex(StringOf(element), out var bytes) && bytes.Length >= 2)
        {
            return Ok(new ClientIdentifier(bytes[0], bytes[1..]), out value, out error);
        }

        if (element.ValueKind == JsonValueKind.Object &&
            element.TryGetProperty("type", out var type) && Number(type, out byte typeByte, out _) &&
            element.TryGetProperty("hex", out var hex) && TryParseHex(StringOf(hex), out var id) && id.Length > 0)
        {
            return Ok(new ClientIdentifier(typeByte, id), out value, out error);
        }

        return Fail("expected hex bytes starting with the type byte (\"01:52:54:00:12:34:56\") or {\"type\": 1, \"hex\": \"525400123456\"}", out value, out error);
    }

    /// <summary>[{ "destination": "10.0.0.0/8", "router": "192.0.2.1" }] (RFC 3442, also 249).</summary>
    public static OptionValueParser<IReadOnlyList<ClasslessRoute>> ClasslessRoutes { get; } = List((JsonElement item, out ClasslessRoute route, [NotNullWhen(false)] out string? error) =>
    {
        route = default;
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("destination", out var destination) || !item.TryGetProperty("router", out var router))
        {
            error = "expected { \"destination\": \"10.0.0.0/8\", \"router\": \"192.0.2.1\" }";
            return false;
        }

        string? text = StringOf(destination);
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0 || !IPv4Address.TryParse(text.AsSpan(0, slash), out var network) ||
            !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > 32)
        {
            error = $"destination must be a network such as \"10.0.0.0/8\", got {destination.GetRawText()}";
            return false;
        }

        uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        if ((network.Value & ~mask) != 0)
        {
            error = $"destination {text} has host bits set";
            return false;
        }

        if (!IPv4(router, out var gateway, out error))
        {
            return false;
        }

        route = new ClasslessRoute(network, prefix, gateway);
        return true;
    });

    public static OptionValueParser<IReadOnlyList<string>> DomainNames { get; } = List((JsonElement item, [MaybeNullWhen(false)] out string name, [NotNullWhen(false)] out string? error) =>
        StringOf(item) is { } text
            ? DnsName.TryValidate(name = text, out error)
            : Fail($"expected a domain name, got {item.GetRawText()}", out name, out error));

    public static bool ClientFqdn(JsonElement element, [MaybeNullWhen(false)] out ClientFqdn value, [NotNullWhen(false)] out string? error) =>
        StringOf(element) is { } name && DnsName.TryValidate(name, out _)
            ? Ok(new ClientFqdn(ClientFqdnFlags.CanonicalEncoding | ClientFqdnFlags.ServerUpdate, 0, 0, name), out value, out error)
            : Fail("expected a domain name string", out value, out error);

    public static bool ClientNetworkInterface(JsonElement element, out ClientNetworkInterface value, [NotNullWhen(false)] out string? error) =>
        element.ValueKind == JsonValueKind.Object &&
        element.TryGetProperty("type", out var t) && Number(t, out byte type, out _) &&
        element.TryGetProperty("major", out var ma) && Number(ma, out byte major, out _) &&
        element.TryGetProperty("minor", out var mi) && Number(mi, out byte minor, out _)
            ? Ok(new ClientNetworkInterface(type, major, minor), out value, out error)
            : Fail("expected { \"type\": 1, \"major\": 3, \"minor\": 0 }", out value, out error);

    public static bool ClientMachineId(JsonElement element, [MaybeNullWhen(false)] out ClientMachineId value, [NotNullWhen(false)] out string? error) =>
        Guid.TryParse(StringOf(element), out var guid)
            ? Ok(new ClientMachineId(0, guid.ToByteArray()), out value, out error)
            : Fail("expected a GUID such as \"8a0c1c2e-5ca1-4e00-9d00-0000c6000001\"", out value, out error);

    public static bool UserClass(JsonElement element, [MaybeNullWhen(false)] out UserClass value, [NotNullWhen(false)] out string? error)
    {
        var parse = List((JsonElement item, [MaybeNullWhen(false)] out string text, [NotNullWhen(false)] out string? err) =>
            StringOf(item) is { Length: > 0 and < 256 } s
                ? Ok(s, out text, out err)
                : Fail("expected a non-empty string under 256 bytes", out text, out err));
        bool ok = parse(element, out var list, out error);
        value = ok ? Protocol.Options.UserClass.Rfc3004([.. list!]) : null;
        return ok;
    }

    public static bool NotConfigurable<T>(JsonElement element, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? error) =>
        Fail("option 124 is sent by clients; it cannot be configured", out value, out error);

    public static OptionValueParser<IReadOnlyList<ProcessorArchitecture>> Architectures { get; } = List((JsonElement item, out ProcessorArchitecture architecture, [NotNullWhen(false)] out string? error) =>
    {
        if (StringOf(item) is { } name && ProcessorArchitectures.TryParse(name, out architecture))
        {
            error = null;
            return true;
        }

        bool ok = Number(item, out ushort code, out error);
        architecture = (ProcessorArchitecture)code;
        return ok;
    });

    /// <summary>A sub-option list (82, 175): an object keyed by sub-option name or code.</summary>
    public static OptionValueParser<IReadOnlyList<SubOption>> SubOptions(DhcpOptionSpace space) =>
        (JsonElement element, [MaybeNullWhen(false)] out IReadOnlyList<SubOption> value, [NotNullWhen(false)] out string? error) =>
        {
            bool ok = TryParseSubOptions(element, space, out var list, out error);
            value = list;
            return ok;
        };

    /// <summary>Option 43: hex bytes as they go on the wire, or PXE sub-options by name or code.</summary>
    public static OptionValueParser<byte[]> VendorSpecific(OptionCodecs.VendorSpecificCodec codec) =>
        (JsonElement element, [MaybeNullWhen(false)] out byte[] value, [NotNullWhen(false)] out string? error) =>
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                return Hex(element, out value, out error);
            }

            value = null;
            return TryParseSubOptions(element, codec.Space, out var list, out error) && TryEncode(() => OptionCodecs.VendorSpecificCodec.EncodeSubOptions(list), out value, out error);
        };

    /// <summary>Option 125: [{ "enterprise": 3561, "options": { "1": "0a0b" } }]; sub-options are hex (no table per enterprise).</summary>
    public static OptionValueParser<IReadOnlyList<VendorOptionsBlock>> VendorOptions { get; } = List((JsonElement item, [MaybeNullWhen(false)] out VendorOptionsBlock block, [NotNullWhen(false)] out string? error) =>
    {
        block = null;
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("enterprise", out var e) || !Number(e, out uint enterprise, out _) ||
            !item.TryGetProperty("options", out var o))
        {
            error = "expected { \"enterprise\": 3561, \"options\": { \"1\": \"0a0b\" } }";
            return false;
        }

        if (!TryParseSubOptions(o, new DhcpOptionSpace("vendor", []), out var options, out error))
        {
            return false;
        }

        block = new VendorOptionsBlock(enterprise, options);
        return true;
    });

    public static bool PxeBootServers(JsonElement element, [MaybeNullWhen(false)] out IReadOnlyList<PxeBootServer> value, [NotNullWhen(false)] out string? error)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return Fail("expected [{ \"type\": 32768, \"addresses\": [\"192.0.2.2\"] }]", out value, out error);
        }

        var list = new List<PxeBootServer>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var t) || !Number(t, out ushort type, out _))
            {
                return Fail("each boot server needs a \"type\" from 0 to 65535", out value, out error);
            }

            IReadOnlyList<IPv4Address> addresses = [];
            if (item.TryGetProperty("addresses", out var a) && !List<IPv4Address>(IPv4)(a, out addresses!, out error))
            {
                value = null;
                return false;
            }

            list.Add(new PxeBootServer(type, addresses));
        }

        return Ok<IReadOnlyList<PxeBootServer>>(list, out value, out error);
    }

    public static bool PxeBootMenu(JsonElement element, [MaybeNullWhen(false)] out IReadOnlyList<PxeMenuItem> value, [NotNullWhen(false)] out string? error)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return Fail("expected [{ \"type\": 32768, \"description\": \"Boot from network\" }]", out value, out error);
        }

        var list = new List<PxeMenuItem>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var t) || !Number(t, out ushort type, out _) ||
                !item.TryGetProperty("description", out var d) || StringOf(d) is not { Length: < 256 } text)
            {
                return Fail("each menu item needs \"type\" (0-65535) and \"description\" (under 256 characters)", out value, out error);
            }

            list.Add(new PxeMenuItem(type, text));
        }

        return Ok<IReadOnlyList<PxeMenuItem>>(list, out value, out error);
    }

    public static bool PxeMenuPrompt(JsonElement element, [MaybeNullWhen(false)] out PxeMenuPrompt value, [NotNullWhen(false)] out string? error) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("timeout", out var t) && Number(t, out byte timeout, out _) &&
        element.TryGetProperty("text", out var x) && StringOf(x) is { } text
            ? Ok(new PxeMenuPrompt(timeout, text), out value, out error)
            : Fail("expected { \"timeout\": 5, \"text\": \"Press F8 for the menu\" }", out value, out error);

    public static bool PxeBootItem(JsonElement element, out PxeBootItem value, [NotNullWhen(false)] out string? error) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var t) && Number(t, out ushort type, out _) &&
        element.TryGetProperty("layer", out var l) && Number(l, out ushort layer, out _)
            ? Ok(new PxeBootItem(type, layer), out value, out error)
            : Fail("expected { \"type\": 32768, \"layer\": 0 }", out value, out error);

    private static bool TryParseSubOptions(JsonElement element, DhcpOptionSpace space, [NotNullWhen(true)] out IReadOnlyList<SubOption>? list, [NotNullWhen(false)] out string? error)
    {
        list = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"expected an object of {space.Name} sub-options keyed by name or code";
            return false;
        }

        var result = new List<SubOption>();
        foreach (var property in element.EnumerateObject())
        {
            DhcpOptionDefinition? definition;
            if (byte.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out byte code))
            {
                definition = space[code];
            }
            else if (!space.TryGet(property.Name, out definition))
            {
                error = $"{property.Name}: no {space.Name} sub-option has this name";
                return false;
            }

            byte[]? data;
            if (definition is null)
            {
                if (!TryParseHex(StringOf(property.Value), out data))
                {
                    error = $"{property.Name}: unknown sub-option; give its value as hex";
                    return false;
                }
            }
            else if (!OptionValueConfiguration.TryEncode(definition, property.Value, out data, out error))
            {
                error = $"{property.Name}: {error}";
                return false;
            }

            result.Add(new SubOption(definition?.Code ?? code, data));
        }

        list = result;
        error = null;
        return true;
    }

    /// <summary>Runs a wire encoder whose limits (255-byte sub-options, 255 addresses) show only when encoding.</summary>
    internal static bool TryEncode(Func<byte[]> encode, [NotNullWhen(true)] out byte[]? data, [NotNullWhen(false)] out string? error)
    {
        try
        {
            return Ok(encode(), out data!, out error);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            return Fail(e.Message, out data, out error);
        }
    }
}
