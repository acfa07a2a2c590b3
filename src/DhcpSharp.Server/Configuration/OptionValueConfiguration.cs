using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using P = DhcpSharp.Server.Configuration.OptionValueParsers;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Option values in configuration files: the JSON form of each option kind, read over the option
/// table and encoded through the definition. The kind is told by the definition's value type (so
/// options registered at run time with a stock codec are configurable) and, where one type has
/// several forms, by the codec (named bytes, parameter request list, option 43). A kind it does
/// not know takes hex bytes, as an undefined code does.
/// </summary>
public static class OptionValueConfiguration
{
    /// <summary>Turns a configuration value into the option's wire bytes; false with the reason.</summary>
    public static bool TryEncode(DhcpOptionDefinition definition, JsonElement value, [NotNullWhen(true)] out byte[]? data, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!FormOf(definition).TryEncode(value, out data, out error))
        {
            return false;
        }

        if (data.Length > ushort.MaxValue)
        {
            data = null;
            error = "the encoded value is longer than a DHCP message can carry";
            return false;
        }

        return true;
    }

    /// <summary>Bytes for a code the table has no definition for: hex only.</summary>
    public static bool TryEncodeUndefined(JsonElement value, [NotNullWhen(true)] out byte[]? data, [NotNullWhen(false)] out string? error) =>
        P.Hex(value, out data, out error);

    /// <summary>JSON Schema of the "options" object: one property per row of the DHCPv4 table, decimal codes for the rest.</summary>
    public static JsonObject Schema()
    {
        var properties = new JsonObject();
        foreach (var definition in DhcpOptionSpaces.Dhcp4.Definitions.OrderBy(d => d.Code))
        {
            var property = FormOf(definition).Schema();
            property["description"] = $"Option {definition.Code}: {definition.Name} ({definition.KindName}).";
            properties[definition.ConfigKey] = property;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "DHCP options by name (see 'dhcpsharp options') or by decimal code (value as hex for codes without a definition).",
            ["properties"] = properties,
            ["patternProperties"] = new JsonObject { ["^[0-9]{1,3}$"] = new JsonObject() },
            ["additionalProperties"] = false,
        };
    }

    private static OptionValueForm FormOf(DhcpOptionDefinition definition) => definition switch
    {
        DhcpOptionDefinition<IPv4Address> d => Form(d, P.IPv4, ConfigurationPatterns.IPv4Schema),
        DhcpOptionDefinition<IReadOnlyList<IPv4Address>> d => Form(d, P.List<IPv4Address>(P.IPv4), () => OptionValueForm.OneOrMany(ConfigurationPatterns.IPv4Schema())),
        DhcpOptionDefinition<IReadOnlyList<IPv4Pair>> d => Form(d, P.IPv4Pairs),
        DhcpOptionDefinition<byte> d when d.Codec is OptionCodecs.NamedByteCodec named => Form(d, P.Named(named)),
        DhcpOptionDefinition<byte> d => Form(d, P.Number, () => OptionValueForm.Integer(byte.MinValue, byte.MaxValue)),
        DhcpOptionDefinition<ushort> d => Form(d, P.Number, () => OptionValueForm.Integer(ushort.MinValue, ushort.MaxValue)),
        DhcpOptionDefinition<uint> d => Form(d, P.Number, () => OptionValueForm.Integer(uint.MinValue, uint.MaxValue)),
        DhcpOptionDefinition<int> d => Form(d, P.Number, () => OptionValueForm.Integer(int.MinValue, int.MaxValue)),
        DhcpOptionDefinition<IReadOnlyList<byte>> d when d.Codec is OptionCodecs.ParameterRequestListCodec list => Form(d, P.CodesOrNames(list.Space)),
        DhcpOptionDefinition<IReadOnlyList<byte>> d => Form(d, P.List<byte>(P.Number)),
        DhcpOptionDefinition<IReadOnlyList<ushort>> d => Form(d, P.List<ushort>(P.Number)),
        DhcpOptionDefinition<IReadOnlyList<uint>> d => Form(d, P.List<uint>(P.Number)),
        DhcpOptionDefinition<bool> d => Form(d, P.Bool, () => new JsonObject { ["type"] = "boolean" }),
        DhcpOptionDefinition<string> d => Form(d, P.Text, () => new JsonObject { ["type"] = "string" }),
        DhcpOptionDefinition<byte[]> d when d.Codec is OptionCodecs.VendorSpecificCodec vendor => Form(d, P.VendorSpecific(vendor)),
        DhcpOptionDefinition<byte[]> d => Form(d, P.Hex, ConfigurationPatterns.HexSchema),
        DhcpOptionDefinition<ClientIdentifier> d => Form(d, P.ClientIdentifier),
        DhcpOptionDefinition<IReadOnlyList<ClasslessRoute>> d => Form(d, P.ClasslessRoutes),
        DhcpOptionDefinition<IReadOnlyList<string>> d => Form(d, P.DomainNames),
        DhcpOptionDefinition<ClientFqdn> d => Form(d, P.ClientFqdn),
        DhcpOptionDefinition<ClientNetworkInterface> d => Form(d, P.ClientNetworkInterface),
        DhcpOptionDefinition<ClientMachineId> d => Form(d, P.ClientMachineId),
        DhcpOptionDefinition<UserClass> d => Form(d, P.UserClass),
        DhcpOptionDefinition<IReadOnlyList<VendorClassBlock>> d => Form(d, P.NotConfigurable),
        DhcpOptionDefinition<IReadOnlyList<VendorOptionsBlock>> d => Form(d, P.VendorOptions),
        DhcpOptionDefinition<IReadOnlyList<SubOption>> d when d.Codec is OptionCodecs.EncapsulatedCodec encapsulated => Form(d, P.SubOptions(encapsulated.Space)),
        DhcpOptionDefinition<IReadOnlyList<ProcessorArchitecture>> d => Form(d, P.Architectures),
        DhcpOptionDefinition<IReadOnlyList<PxeBootServer>> d => Form(d, P.PxeBootServers),
        DhcpOptionDefinition<IReadOnlyList<PxeMenuItem>> d => Form(d, P.PxeBootMenu),
        DhcpOptionDefinition<PxeMenuPrompt> d => Form(d, P.PxeMenuPrompt),
        DhcpOptionDefinition<PxeBootItem> d => Form(d, P.PxeBootItem),
        _ => new OptionValueForm.RawHex(definition),
    };

    private static OptionValueForm.Typed<T> Form<T>(DhcpOptionDefinition<T> definition, OptionValueParser<T> parse, Func<JsonObject>? schema = null)
        where T : notnull => new(definition, parse, schema);
}
