using System.Globalization;
using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;

namespace DhcpSharp.Server.Configuration;

/// <summary>A configuration error: the exact key (JSON path) and why.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string key, string reason)
        : base($"{key}: {reason}")
    {
        Key = key;
        Reason = reason;
    }

    public ConfigurationException()
        : this("$", "invalid configuration")
    {
    }

    public ConfigurationException(string message)
        : this("$", message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "$";
        Reason = message;
    }

    public string Key { get; } = "$";

    public string Reason { get; } = "";
}

/// <summary>What the daemon needs beyond the DHCP rules: where to listen and where leases live.</summary>
public sealed record DhcpServerSettings
{
    public required DhcpServerOptions Server { get; init; }

    /// <summary>Interfaces to serve; empty: every interface with an address in a configured subnet.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    public string LeaseFile { get; init; } = DefaultLeaseFile;

    /// <summary>
    /// Group-commit window of the lease store while saves arrive faster than one per window:
    /// more leases per fsync, at most this much later an ACK (see <see cref="Leases.SqliteLeaseStore"/>).
    /// </summary>
    public TimeSpan LeaseCommitDelay { get; init; } = DefaultLeaseCommitDelay;

    public static readonly TimeSpan DefaultLeaseCommitDelay = TimeSpan.FromMilliseconds(1);

    public int Port { get; init; } = 67;

    public const string DefaultLeaseFile = "/var/lib/dhcpsharp/leases.db";

    /// <summary>Network boot: proxyDHCP, TFTP, HTTP and boot rules (null: no "boot" section).</summary>
    public BootSettings? Boot { get; init; }
}

/// <summary>
/// Reads the JSON configuration file (schema: schemas/dhcpsharp.schema.json). Strict: an unknown
/// key is an error, so a typo never silently falls back to a default. Every error names the key.
/// </summary>
public static class DhcpServerConfigurationLoader
{
    private static readonly string[] RootKeys = ["$schema", "interfaces", "port", "leaseFile", "leaseCommitDelayMs", "leaseTime", "renewalTime", "rebindingTime", "offerTime", "declineProbation", "authoritative", "dynamicBootp", "pingCheck", "pingTimeoutMs", "serverIdentifier", "alwaysSend", "options", "classes", "subnets", "boot"];
    private static readonly string[] SubnetKeys = ["subnet", "interface", "sharedNetwork", "leaseTime", "pools", "reservations", "options"];
    private static readonly string[] PoolKeys = ["range", "exclude", "classes", "options"];
    private static readonly string[] ReservationKeys = ["mac", "macPrefix", "clientId", "address", "hostname", "options"];
    private static readonly string[] ClassKeys = ["name", "match", "options"];
    private static readonly string[] MatchKeys = ["vendorClassPrefix", "vendorClassContains", "userClass", "architecture", "circuitId", "remoteId", "macPrefix"];
    private static readonly string[] BootKeys = ["proxy", "proxyInterfaces", "root", "tftp", "tftpPort", "tftpSinglePort", "tftpMaxBlockSize", "tftpMaxWindowSize", "http", "httpPort", "rules", "defaultRules"];
    private static readonly string[] BootRuleKeys = ["name", "match", "bootFile", "nextServer", "serverName", "httpUrl", "menu"];
    private static readonly string[] BootMatchKeys = ["architecture", "vendorClassPrefix", "userClass", "ipxe", "mac", "macPrefix", "uuid", "interface"];
    private static readonly string[] MenuKeys = ["prompt", "timeout", "items"];
    private static readonly string[] MenuItemKeys = ["type", "description", "bootFile"];

    /// <summary>Keys accepted per object, for the schema test and documentation.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KnownKeys { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["root"] = RootKeys,
        ["subnet"] = SubnetKeys,
        ["pool"] = PoolKeys,
        ["reservation"] = ReservationKeys,
        ["class"] = ClassKeys,
        ["match"] = MatchKeys,
        ["boot"] = BootKeys,
        ["bootRule"] = BootRuleKeys,
        ["bootMatch"] = BootMatchKeys,
        ["menu"] = MenuKeys,
        ["menuItem"] = MenuItemKeys,
    };

    public static DhcpServerSettings LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, $"cannot read the configuration file: {e.Message}");
        }

        return Parse(text, path);
    }

    public static DhcpServerSettings Parse(string json, string source = "config")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ConfigurationException(source, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static DhcpServerSettings Read(JsonElement root)
    {
        Expect(root, JsonValueKind.Object, "$");
        CheckKeys(root, "$", RootKeys);
        var classes = ReadList(root, "classes", "$", ReadClass);
        var classNames = classes.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (classes.Count != classNames.Count)
        {
            throw new ConfigurationException("$.classes", "class names must be unique");
        }

        var options = new DhcpServerOptions
        {
            LeaseTime = Seconds(root, "leaseTime", "$") ?? TimeSpan.FromHours(1),
            RenewalTime = Seconds(root, "renewalTime", "$"),
            RebindingTime = Seconds(root, "rebindingTime", "$"),
            OfferTime = Seconds(root, "offerTime", "$") ?? TimeSpan.FromSeconds(30),
            DeclineProbation = Seconds(root, "declineProbation", "$") ?? TimeSpan.FromHours(1),
            Authoritative = Bool(root, "authoritative", "$") ?? true,
            DynamicBootp = Bool(root, "dynamicBootp", "$") ?? false,
            PingCheck = Bool(root, "pingCheck", "$") ?? false,
            PingTimeout = TimeSpan.FromMilliseconds(Number(root, "pingTimeoutMs", "$", 1, 10_000) ?? 500),
            ServerIdentifier = Address(root, "serverIdentifier", "$"),
            AlwaysSend = ReadAlwaysSend(root),
            Options = ReadOptions(root, "$"),
            Classes = classes,
            Subnets = ReadList(root, "subnets", "$", (e, p) => ReadSubnet(e, p, classNames)),
        };
        if (options.RenewalTime is { } t1 && (options.RebindingTime ?? options.LeaseTime * 0.875) <= t1)
        {
            throw new ConfigurationException("$.renewalTime", "must be shorter than rebindingTime");
        }

        CheckOverlaps(options.Subnets);
        return new DhcpServerSettings
        {
            Server = options,
            Interfaces = root.TryGetProperty("interfaces", out var interfaces) ? ReadStrings(interfaces, "$.interfaces") : [],
            LeaseFile = String(root, "leaseFile", "$") ?? DhcpServerSettings.DefaultLeaseFile,
            LeaseCommitDelay = Number(root, "leaseCommitDelayMs", "$", 0, 100) is { } delay ? TimeSpan.FromMilliseconds(delay) : DhcpServerSettings.DefaultLeaseCommitDelay,
            Port = (int)(Number(root, "port", "$", 1, 65535) ?? 67),
            Boot = root.TryGetProperty("boot", out var boot) ? ReadBoot(boot, "$.boot") : null,
        };
    }

    private static SubnetOptions ReadSubnet(JsonElement element, string path, HashSet<string> classNames)
    {
        CheckKeys(element, path, SubnetKeys);
        string text = String(element, "subnet", path) ?? throw new ConfigurationException($"{path}.subnet", "is required (for example \"192.168.1.0/24\")");
        if (!IPv4Network.TryParse(text, out var network))
        {
            throw new ConfigurationException($"{path}.subnet", $"\"{text}\" is not a network such as 192.168.1.0/24 with the host bits zero");
        }

        var pools = ReadList(element, "pools", path, (e, p) => ReadPool(e, p, network, classNames));
        var reservations = ReadList(element, "reservations", path, (e, p) => ReadReservation(e, p, network));
        return new SubnetOptions
        {
            Network = network,
            Interface = String(element, "interface", path),
            SharedNetwork = String(element, "sharedNetwork", path),
            LeaseTime = Seconds(element, "leaseTime", path),
            Pools = pools,
            Reservations = reservations,
            Options = ReadOptions(element, path),
        };
    }

    private static PoolOptions ReadPool(JsonElement element, string path, IPv4Network network, HashSet<string> classNames)
    {
        CheckKeys(element, path, PoolKeys);
        var range = ParseRange(String(element, "range", path) ?? throw new ConfigurationException($"{path}.range", "is required (for example \"192.168.1.100-192.168.1.200\")"), $"{path}.range");
        if (!network.Contains(range.First) || !network.Contains(range.Last))
        {
            throw new ConfigurationException($"{path}.range", $"{range} is not inside subnet {network}");
        }

        if ((long)range.Last.Value - range.First.Value + 1 > Allocation.AddressPool.MaximumSize)
        {
            throw new ConfigurationException($"{path}.range", $"{range} is larger than {Allocation.AddressPool.MaximumSize} addresses");
        }

        var exclusions = element.TryGetProperty("exclude", out var exclude)
            ? ReadStrings(exclude, $"{path}.exclude").Select((s, i) => ParseRange(s, $"{path}.exclude[{i}]")).ToList()
            : [];
        var classes = element.TryGetProperty("classes", out var c) ? ReadStrings(c, $"{path}.classes") : [];
        foreach (var name in classes.Where(n => !classNames.Contains(n)))
        {
            throw new ConfigurationException($"{path}.classes", $"no class is named \"{name}\"");
        }

        return new PoolOptions { First = range.First, Last = range.Last, Exclusions = exclusions, AllowedClasses = classes, Options = ReadOptions(element, path) };
    }

    private static ReservationOptions ReadReservation(JsonElement element, string path, IPv4Network network)
    {
        CheckKeys(element, path, ReservationKeys);
        var reservation = new ReservationOptions
        {
            HardwareAddress = Mac(element, "mac", path),
            HardwareAddressPrefix = Mac(element, "macPrefix", path),
            ClientIdentifier = Hex(element, "clientId", path),
            Address = Address(element, "address", path),
            HostName = String(element, "hostname", path),
            Options = ReadOptions(element, path),
        };
        int identities = (reservation.HardwareAddress is null ? 0 : 1) + (reservation.HardwareAddressPrefix is null ? 0 : 1) + (reservation.ClientIdentifier is null ? 0 : 1);
        if (identities != 1)
        {
            throw new ConfigurationException(path, "a reservation needs exactly one of mac, macPrefix or clientId");
        }

        if (reservation.HardwareAddressPrefix is not null && reservation.Address is not null)
        {
            throw new ConfigurationException($"{path}.address", "a macPrefix reservation matches many clients, so it cannot fix one address");
        }

        if (reservation.Address is { } address && !network.Contains(address))
        {
            throw new ConfigurationException($"{path}.address", $"{address} is not inside subnet {network}");
        }

        return reservation;
    }

    private static ClientClassOptions ReadClass(JsonElement element, string path)
    {
        CheckKeys(element, path, ClassKeys);
        string name = String(element, "name", path) ?? throw new ConfigurationException($"{path}.name", "is required");
        if (!element.TryGetProperty("match", out var match))
        {
            throw new ConfigurationException($"{path}.match", "is required (at least one condition)");
        }

        string matchPath = $"{path}.match";
        Expect(match, JsonValueKind.Object, matchPath);
        CheckKeys(match, matchPath, MatchKeys);
        if (!match.EnumerateObject().Any())
        {
            throw new ConfigurationException(matchPath, "needs at least one condition");
        }

        var architectures = ReadArchitectures(match, matchPath);
        return new ClientClassOptions
        {
            Name = name,
            VendorClassPrefix = String(match, "vendorClassPrefix", matchPath),
            VendorClassContains = String(match, "vendorClassContains", matchPath),
            UserClass = String(match, "userClass", matchPath),
            Architectures = architectures,
            CircuitId = Hex(match, "circuitId", matchPath),
            RemoteId = Hex(match, "remoteId", matchPath),
            HardwareAddressPrefix = Mac(match, "macPrefix", matchPath),
            Options = ReadOptions(element, path),
        };
    }

    private static BootSettings ReadBoot(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckKeys(element, path, BootKeys);
        return new BootSettings
        {
            Proxy = Bool(element, "proxy", path) ?? false,
            ProxyInterfaces = element.TryGetProperty("proxyInterfaces", out var pi) ? ReadStrings(pi, $"{path}.proxyInterfaces") : [],
            Root = String(element, "root", path) ?? BootSettings.DefaultRoot,
            Tftp = Bool(element, "tftp", path) ?? true,
            TftpPort = (int)(Number(element, "tftpPort", path, 1, 65535) ?? 69),
            TftpSinglePort = Bool(element, "tftpSinglePort", path) ?? false,
            TftpMaximumBlockSize = (int)(Number(element, "tftpMaxBlockSize", path, 512, 65464) ?? 1468),
            TftpMaximumWindowSize = (int)(Number(element, "tftpMaxWindowSize", path, 1, 65535) ?? 64),
            Http = Bool(element, "http", path) ?? true,
            HttpPort = (int)(Number(element, "httpPort", path, 1, 65535) ?? BootSettings.DefaultHttpPort),
            Rules = ReadList(element, "rules", path, ReadBootRule),
            DefaultRules = Bool(element, "defaultRules", path) ?? true,
        };
    }

    private static BootRuleSettings ReadBootRule(JsonElement element, string path)
    {
        CheckKeys(element, path, BootRuleKeys);
        var rule = new BootRuleSettings
        {
            Name = String(element, "name", path),
            BootFile = String(element, "bootFile", path),
            NextServer = Address(element, "nextServer", path),
            ServerName = String(element, "serverName", path),
            HttpUrl = String(element, "httpUrl", path),
            Menu = element.TryGetProperty("menu", out var menu) ? ReadMenu(menu, $"{path}.menu") : null,
        };
        if (rule.BootFile is null && rule.HttpUrl is null && rule.Menu is null)
        {
            throw new ConfigurationException(path, "a boot rule needs bootFile, httpUrl or menu");
        }

        if (rule.HttpUrl is { } url && !(url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal)))
        {
            throw new ConfigurationException($"{path}.httpUrl", $"\"{url}\" is not an http:// or https:// URL");
        }

        if (!element.TryGetProperty("match", out var match))
        {
            return rule;
        }

        string matchPath = $"{path}.match";
        Expect(match, JsonValueKind.Object, matchPath);
        CheckKeys(match, matchPath, BootMatchKeys);
        string? uuid = String(match, "uuid", matchPath);
        return rule with
        {
            Architectures = ReadArchitectures(match, matchPath),
            VendorClassPrefix = String(match, "vendorClassPrefix", matchPath),
            UserClass = String(match, "userClass", matchPath),
            Ipxe = Bool(match, "ipxe", matchPath),
            HardwareAddress = Mac(match, "mac", matchPath),
            HardwareAddressPrefix = Mac(match, "macPrefix", matchPath),
            Uuid = uuid is null ? null : Guid.TryParse(uuid, out var guid) ? guid : throw new ConfigurationException($"{matchPath}.uuid", $"\"{uuid}\" is not a UUID"),
            Interface = String(match, "interface", matchPath),
        };
    }

    private static BootMenuSettings ReadMenu(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckKeys(element, path, MenuKeys);
        var items = ReadList(element, "items", path, (item, itemPath) =>
        {
            CheckKeys(item, itemPath, MenuItemKeys);
            return ((ushort)(Number(item, "type", itemPath, 1, 65534) ?? throw new ConfigurationException($"{itemPath}.type", "is required (32768-65534 for your own items)")),
                String(item, "description", itemPath) ?? throw new ConfigurationException($"{itemPath}.description", "is required"),
                String(item, "bootFile", itemPath) ?? throw new ConfigurationException($"{itemPath}.bootFile", "is required"));
        });
        if (items.Count == 0)
        {
            throw new ConfigurationException($"{path}.items", "a menu needs at least one item");
        }

        return new BootMenuSettings(String(element, "prompt", path) ?? "Press F8 for the boot menu", (byte)(Number(element, "timeout", path, 0, 255) ?? 5), items);
    }

    private static List<ProcessorArchitecture> ReadArchitectures(JsonElement match, string matchPath)
    {
        var architectures = new List<ProcessorArchitecture>();
        if (match.TryGetProperty("architecture", out var arch))
        {
            foreach (var (item, i) in (arch.ValueKind == JsonValueKind.Array ? arch.EnumerateArray().ToList() : [arch]).Select((x, i) => (x, i)))
            {
                string text = item.ValueKind == JsonValueKind.Number ? item.GetRawText() : item.GetString() ?? "";
                if (!ProcessorArchitectures.TryParse(text, out var architecture))
                {
                    throw new ConfigurationException($"{matchPath}.architecture[{i}]", $"\"{text}\" is not an architecture: use a code (0-65535) or one of {string.Join(", ", ProcessorArchitectures.ShortNamesKnown)}");
                }

                architectures.Add(architecture);
            }
        }

        return architectures;
    }

    /// <summary>"options": { "router": "192.0.2.1", "dns": [...], "224": "0a0b" } through the option table.</summary>
    private static OptionSet ReadOptions(JsonElement element, string path)
    {
        var set = new OptionSet();
        if (!element.TryGetProperty("options", out var options))
        {
            return set;
        }

        string optionsPath = $"{path}.options";
        Expect(options, JsonValueKind.Object, optionsPath);
        foreach (var property in options.EnumerateObject())
        {
            string key = $"{optionsPath}.{property.Name}";
            DhcpOptionDefinition? definition;
            byte code;
            if (byte.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out code))
            {
                definition = DhcpOptionSpaces.Dhcp4[code];
            }
            else if (DhcpOptionSpaces.Dhcp4.TryGet(property.Name, out definition))
            {
                code = definition.Code;
            }
            else
            {
                throw new ConfigurationException(key, "no DHCP option has this name (see 'dhcpsharp options')");
            }

            if (code is 0 or 255 or DhcpOptionCode.MessageType or DhcpOptionCode.Overload)
            {
                throw new ConfigurationException(key, $"option {code} is set by the server itself and cannot be configured");
            }

            byte[]? data;
            string? error;
            if (definition is null)
            {
                if (!OptionValueConfiguration.TryEncodeUndefined(property.Value, out data, out error))
                {
                    throw new ConfigurationException(key, $"option {code} has no definition; give its value as hex bytes ({error})");
                }
            }
            else if (!OptionValueConfiguration.TryEncode(definition, property.Value, out data, out error))
            {
                throw new ConfigurationException(key, error);
            }

            set.Set(code, data);
        }

        return set;
    }

    private static List<byte> ReadAlwaysSend(JsonElement root)
    {
        var codes = new List<byte>();
        if (!root.TryGetProperty("alwaysSend", out var list))
        {
            return codes;
        }

        Expect(list, JsonValueKind.Array, "$.alwaysSend");
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            string key = $"$.alwaysSend[{index++}]";
            if (item.ValueKind == JsonValueKind.Number && item.TryGetByte(out byte code) && code is > 0 and < 255)
            {
                codes.Add(code);
            }
            else if (item.ValueKind == JsonValueKind.String && DhcpOptionSpaces.Dhcp4.TryGet(item.GetString()!, out var definition))
            {
                codes.Add(definition.Code);
            }
            else
            {
                throw new ConfigurationException(key, $"{item.GetRawText()} is not an option code (1-254) or option name");
            }
        }

        return codes;
    }

    private static void CheckOverlaps(IReadOnlyList<SubnetOptions> subnets)
    {
        var ranges = subnets.SelectMany((s, si) => s.Pools.Select((p, pi) => (Range: new AddressRange(p.First, p.Last), Path: $"$.subnets[{si}].pools[{pi}].range"))).ToList();
        for (int i = 0; i < ranges.Count; i++)
        {
            for (int j = i + 1; j < ranges.Count; j++)
            {
                if (ranges[i].Range.First <= ranges[j].Range.Last && ranges[j].Range.First <= ranges[i].Range.Last)
                {
                    throw new ConfigurationException(ranges[j].Path, $"{ranges[j].Range} overlaps {ranges[i].Path} ({ranges[i].Range})");
                }
            }
        }

        for (int i = 0; i < subnets.Count; i++)
        {
            for (int j = i + 1; j < subnets.Count; j++)
            {
                if (subnets[i].Network.Contains(subnets[j].Network.Network) || subnets[j].Network.Contains(subnets[i].Network.Network))
                {
                    throw new ConfigurationException($"$.subnets[{j}].subnet", $"{subnets[j].Network} overlaps $.subnets[{i}] ({subnets[i].Network})");
                }
            }
        }
    }

    public static AddressRange ParseRange(string text, string key)
    {
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        string first = dash < 0 ? text : text[..dash];
        string last = dash < 0 ? text : text[(dash + 1)..];
        if (!IPv4Address.TryParse(first.Trim(), out var start) || !IPv4Address.TryParse(last.Trim(), out var end))
        {
            throw new ConfigurationException(key, $"\"{text}\" is not an address or a range such as 192.168.1.100-192.168.1.200");
        }

        if (end < start)
        {
            throw new ConfigurationException(key, $"range {text} ends before it starts");
        }

        return new AddressRange(start, end);
    }

    private static List<T> ReadList<T>(JsonElement parent, string name, string path, Func<JsonElement, string, T> read)
    {
        if (!parent.TryGetProperty(name, out var list))
        {
            return [];
        }

        string listPath = $"{path}.{name}";
        Expect(list, JsonValueKind.Array, listPath);
        return list.EnumerateArray().Select((item, i) =>
        {
            string itemPath = $"{listPath}[{i}]";
            Expect(item, JsonValueKind.Object, itemPath);
            return read(item, itemPath);
        }).ToList();
    }

    private static List<string> ReadStrings(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return [element.GetString()!];
        }

        Expect(element, JsonValueKind.Array, path);
        return element.EnumerateArray().Select((item, i) =>
            item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s ? s : throw new ConfigurationException($"{path}[{i}]", "expected a non-empty string")).ToList();
    }

    private static void CheckKeys(JsonElement element, string path, string[] allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new ConfigurationException($"{path}.{property.Name}", $"unknown key; expected one of {string.Join(", ", allowed.Where(k => k != "$schema"))}");
            }
        }
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new ConfigurationException(path, $"expected {(kind == JsonValueKind.Object ? "an object" : "an array")}, got {element.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static string? String(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new ConfigurationException($"{path}.{name}", $"expected a non-empty string, got {value.GetRawText()}");
    }

    private static bool? Bool(JsonElement element, string name, string path) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw new ConfigurationException($"{path}.{name}", $"expected true or false, got {value.GetRawText()}");

    private static long? Number(JsonElement element, string name, string path, long min, long max)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) && number >= min && number <= max
            ? number
            : throw new ConfigurationException($"{path}.{name}", $"expected a whole number from {min} to {max}, got {value.GetRawText()}");
    }

    private static TimeSpan? Seconds(JsonElement element, string name, string path) =>
        Number(element, name, path, 1, uint.MaxValue - 1) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static IPv4Address? Address(JsonElement element, string name, string path)
    {
        string? text = String(element, name, path);
        return text is null ? null
            : IPv4Address.TryParse(text, out var address) ? address
            : throw new ConfigurationException($"{path}.{name}", $"\"{text}\" is not an IPv4 address");
    }

    private static byte[]? Mac(JsonElement element, string name, string path)
    {
        string? text = String(element, name, path);
        return text is null ? null
            : HardwareAddress.TryParse(text, out var mac) ? mac
            : throw new ConfigurationException($"{path}.{name}", $"\"{text}\" is not a hardware address such as aa:bb:cc:dd:ee:ff");
    }

    private static byte[]? Hex(JsonElement element, string name, string path)
    {
        string? text = String(element, name, path);
        if (text is null)
        {
            return null;
        }

        string compact = text.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return compact.Length % 2 == 0 && compact.All(char.IsAsciiHexDigit)
            ? Convert.FromHexString(compact)
            : throw new ConfigurationException($"{path}.{name}", $"\"{text}\" is not hex bytes such as 01:52:54:00:12:34:56");
    }
}
