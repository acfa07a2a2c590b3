using System.Text.Json;
using System.Text.Json.Nodes;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Generates the JSON Schema of the configuration file from the loader's keys and the option
/// table, so the published schema (schemas/dhcpsharp.schema.json, checked by a test) cannot
/// drift from what the loader accepts.
/// </summary>
public static class ConfigurationSchema
{
    private const string Ipv4Pattern = @"^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$";

    public static string Generate()
    {
        var options = OptionsSchema();
        var seconds = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = uint.MaxValue - 1L };
        var definitions = new JsonObject
            {
                ["ipv4"] = new JsonObject { ["type"] = "string", ["pattern"] = Ipv4Pattern },
                ["seconds"] = seconds,
                ["options"] = options,
                ["range"] = new JsonObject { ["type"] = "string", ["description"] = "An address or START-END, e.g. 192.168.1.100-192.168.1.200." },
                ["mac"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){0,15}$" },
                ["hex"] = new JsonObject { ["type"] = "string", ["pattern"] = "^([0-9A-Fa-f]{2}[:-]?)*$" },
                ["stringList"] = new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }) },
        };
        var root = Properties("root", new()
            {
                ["$schema"] = new JsonObject { ["type"] = "string" },
                ["interfaces"] = Ref("stringList", "Interfaces to serve; default: every interface with an address in a configured subnet."),
                ["port"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65535, ["default"] = 67 },
                ["leaseFile"] = new JsonObject { ["type"] = "string", ["default"] = DhcpServerSettings.DefaultLeaseFile },
                ["leaseCommitDelayMs"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 100, ["default"] = (int)DhcpServerSettings.DefaultLeaseCommitDelay.TotalMilliseconds, ["description"] = "Under load, how long the lease store gathers saves into one fsync (an ACK waits at most this much longer); 0 commits at once." },
                ["leaseTime"] = Ref("seconds", "Lease time in seconds (default 3600)."),
                ["renewalTime"] = Ref("seconds", "T1 in seconds (default half the lease time)."),
                ["rebindingTime"] = Ref("seconds", "T2 in seconds (default 0.875 of the lease time)."),
                ["offerTime"] = Ref("seconds", "How long an offered address is held (default 30)."),
                ["declineProbation"] = Ref("seconds", "How long a declined address stays out of use (default 3600)."),
                ["authoritative"] = new JsonObject { ["type"] = "boolean", ["default"] = true },
                ["dynamicBootp"] = new JsonObject { ["type"] = "boolean", ["default"] = false },
                ["pingCheck"] = new JsonObject { ["type"] = "boolean", ["default"] = false },
                ["pingTimeoutMs"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 10000, ["default"] = 500 },
                ["serverIdentifier"] = Ref("ipv4", "Option 54; default: the receiving interface's address."),
                ["alwaysSend"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = new JsonArray("string", "integer") }, ["description"] = "Options sent even when not requested (node-dhcp's forceOptions)." },
                ["options"] = Ref("options", null),
                ["classes"] = ArrayOf(Properties("class", new()
                {
                    ["name"] = new JsonObject { ["type"] = "string" },
                    ["match"] = Properties("match", new()
                    {
                        ["vendorClassPrefix"] = new JsonObject { ["type"] = "string" },
                        ["vendorClassContains"] = new JsonObject { ["type"] = "string" },
                        ["userClass"] = new JsonObject { ["type"] = "string" },
                        ["architecture"] = new JsonObject { ["description"] = "Option 93 codes or names (bios, uefi-x64, …).", ["oneOf"] = new JsonArray(new JsonObject { ["type"] = new JsonArray("string", "integer") }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = new JsonArray("string", "integer") } }) },
                        ["circuitId"] = Ref("hex", null),
                        ["remoteId"] = Ref("hex", null),
                        ["macPrefix"] = Ref("mac", null),
                    }, required: []),
                    ["options"] = Ref("options", null),
                }, required: ["name", "match"])),
                ["subnets"] = ArrayOf(Properties("subnet", new()
                {
                    ["subnet"] = new JsonObject { ["type"] = "string", ["description"] = "CIDR, e.g. 192.168.1.0/24." },
                    ["interface"] = new JsonObject { ["type"] = "string" },
                    ["sharedNetwork"] = new JsonObject { ["type"] = "string" },
                    ["leaseTime"] = Ref("seconds", null),
                    ["pools"] = ArrayOf(Properties("pool", new()
                    {
                        ["range"] = Ref("range", null),
                        ["exclude"] = new JsonObject { ["oneOf"] = new JsonArray(Ref("range", null), new JsonObject { ["type"] = "array", ["items"] = Ref("range", null) }) },
                        ["classes"] = Ref("stringList", "Only clients in one of these classes use this pool."),
                        ["options"] = Ref("options", null),
                    }, required: ["range"])),
                    ["reservations"] = ArrayOf(Properties("reservation", new()
                    {
                        ["mac"] = Ref("mac", null),
                        ["macPrefix"] = Ref("mac", null),
                        ["clientId"] = Ref("hex", "Option 61 including the type byte."),
                        ["address"] = Ref("ipv4", null),
                        ["hostname"] = new JsonObject { ["type"] = "string" },
                        ["options"] = Ref("options", null),
                    }, required: [])),
                    ["options"] = Ref("options", null),
                }, required: ["subnet"])),
                ["boot"] = BootSchema(),
            }, required: null);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://dhcpsharp.invalid/schemas/dhcpsharp.schema.json",
            ["title"] = "DhcpSharp server configuration",
            ["description"] = "The file given to 'dhcpsharp serve --config'. Unknown keys are errors.",
        };
        foreach (var (key, value) in root.ToList())
        {
            root.Remove(key);
            schema[key] = value;
        }

        schema["$defs"] = definitions;
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonObject BootSchema()
    {
        var boolean = () => new JsonObject { ["type"] = "boolean" };
        var port = () => new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65535 };
        var schema = Properties("boot", new()
        {
            ["proxy"] = new JsonObject { ["type"] = "boolean", ["default"] = false, ["description"] = "proxyDHCP (ports 67 and 4011) for PXE/HTTP-boot clients on links this server gives no addresses on." },
            ["proxyInterfaces"] = Ref("stringList", null),
            ["root"] = new JsonObject { ["type"] = "string", ["default"] = BootSettings.DefaultRoot, ["description"] = "Directory served by TFTP and HTTP (created if missing); Debian's /usr/lib/ipxe fills in the default boot files." },
            ["tftp"] = boolean(),
            ["tftpPort"] = port(),
            ["tftpSinglePort"] = boolean(),
            ["tftpMaxBlockSize"] = new JsonObject { ["type"] = "integer", ["minimum"] = 512, ["maximum"] = 65464 },
            ["tftpMaxWindowSize"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65535 },
            ["http"] = boolean(),
            ["httpPort"] = port(),
            ["defaultRules"] = boolean(),
            ["rules"] = ArrayOf(Properties("bootRule", new()
            {
                ["name"] = new JsonObject { ["type"] = "string" },
                ["bootFile"] = new JsonObject { ["type"] = "string" },
                ["nextServer"] = Ref("ipv4", null),
                ["serverName"] = new JsonObject { ["type"] = "string" },
                ["httpUrl"] = new JsonObject { ["type"] = "string", ["pattern"] = "^https?://" },
                ["match"] = Properties("bootMatch", new()
                {
                    ["architecture"] = new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = new JsonArray("string", "integer") }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = new JsonArray("string", "integer") } }) },
                    ["vendorClassPrefix"] = new JsonObject { ["type"] = "string" },
                    ["userClass"] = new JsonObject { ["type"] = "string" },
                    ["ipxe"] = boolean(),
                    ["mac"] = Ref("mac", null),
                    ["macPrefix"] = Ref("mac", null),
                    ["uuid"] = new JsonObject { ["type"] = "string" },
                    ["interface"] = new JsonObject { ["type"] = "string" },
                }, required: []),
                ["menu"] = Properties("menu", new()
                {
                    ["prompt"] = new JsonObject { ["type"] = "string" },
                    ["timeout"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 255 },
                    ["items"] = ArrayOf(Properties("menuItem", new()
                    {
                        ["type"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65534 },
                        ["description"] = new JsonObject { ["type"] = "string" },
                        ["bootFile"] = new JsonObject { ["type"] = "string" },
                    }, required: ["type", "description", "bootFile"])),
                }, required: ["items"]),
            }, required: [])),
        }, required: []);
        return schema;
    }

    private static JsonObject OptionsSchema()
    {
        var properties = new JsonObject();
        foreach (var definition in DhcpOptionSpaces.Dhcp4.Definitions.OrderBy(d => d.Code))
        {
            var property = KindSchema(definition.KindName);
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

    private static JsonObject KindSchema(string kind) => kind switch
    {
        "ipv4" => Ref("ipv4", null),
        "ipv4-list" => new JsonObject { ["oneOf"] = new JsonArray(Ref("ipv4", null), new JsonObject { ["type"] = "array", ["items"] = Ref("ipv4", null) }) },
        "u8" => Integer(0, byte.MaxValue),
        "u16" => Integer(0, ushort.MaxValue),
        "u32" => Integer(0, uint.MaxValue),
        "i32" => Integer(int.MinValue, int.MaxValue),
        "flag" or "presence" => new JsonObject { ["type"] = "boolean" },
        "text" => new JsonObject { ["type"] = "string" },
        "binary" => Ref("hex", null),
        _ => new JsonObject(),
    };

    private static JsonObject Integer(long min, long max) => new() { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max };

    private static JsonObject Ref(string name, string? description)
    {
        var node = new JsonObject { ["$ref"] = $"#/$defs/{name}" };
        if (description is not null)
        {
            node["description"] = description;
        }

        return node;
    }

    private static JsonObject ArrayOf(JsonObject item) => new() { ["type"] = "array", ["items"] = item };

    private static JsonObject Properties(string objectName, Dictionary<string, JsonNode> properties, string[]? required)
    {
        var known = DhcpServerConfigurationLoader.KnownKeys[objectName];
        if (!known.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(properties.Keys.OrderBy(k => k, StringComparer.Ordinal)))
        {
            throw new InvalidOperationException($"schema for '{objectName}' lists {string.Join(",", properties.Keys)} but the loader accepts {string.Join(",", known)}");
        }

        var node = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };
        if (required is { Length: > 0 })
        {
            node["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }

        return node;
    }
}
