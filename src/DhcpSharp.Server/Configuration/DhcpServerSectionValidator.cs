using System.Globalization;
using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration.FileModel;
using static DhcpSharp.Server.Configuration.ConfigurationValues;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// The validation pass of the DHCP keys: the file model (whose shape is already checked) into the
/// validated runtime model, applying defaults and refusing what the shape cannot say (addresses,
/// ranges inside subnets, overlaps, lease times against T1/T2), each error naming its JSON path.
/// </summary>
public static class DhcpServerSectionValidator
{
    public static DhcpServerSettings Validate(DhcpServerSection file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var classes = (file.Classes ?? []).Select((c, i) => ReadClass(c, $"$.classes[{i}]")).ToList();
        var classNames = classes.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (classes.Count != classNames.Count)
        {
            throw new ConfigurationException("$.classes", "class names must be unique");
        }

        var options = new DhcpServerOptions
        {
            LeaseTime = TimeSpan.FromSeconds(file.LeaseTime ?? DhcpServerSection.DefaultLeaseTime),
            RenewalTime = Seconds(file.RenewalTime),
            RebindingTime = Seconds(file.RebindingTime),
            OfferTime = TimeSpan.FromSeconds(file.OfferTime ?? DhcpServerSection.DefaultOfferTime),
            DeclineProbation = TimeSpan.FromSeconds(file.DeclineProbation ?? DhcpServerSection.DefaultDeclineProbation),
            Authoritative = file.Authoritative ?? true,
            DynamicBootp = file.DynamicBootp ?? false,
            PingCheck = file.PingCheck ?? false,
            PingTimeout = TimeSpan.FromMilliseconds(file.PingTimeoutMs ?? DhcpServerSection.DefaultPingTimeoutMs),
            ServerIdentifier = Address(file.ServerIdentifier, "$.serverIdentifier"),
            AlwaysSend = ReadAlwaysSend(file.AlwaysSend),
            Options = ReadOptions(file.Options, "$"),
            Classes = classes,
            Subnets = (file.Subnets ?? []).Select((s, i) => ReadSubnet(s, $"$.subnets[{i}]", classNames)).ToList(),
        };
        CheckRenewalTimes(options, file.LeaseTime is null ? " (the default)" : "");
        CheckOverlaps(options.Subnets);
        return new DhcpServerSettings
        {
            Server = options,
            Interfaces = file.Interfaces ?? [],
            LeaseFile = file.LeaseFile ?? DhcpServerSection.DefaultLeaseFile,
            ServerName = file.ServerName ?? Environment.MachineName,
            LeaseCommitDelay = TimeSpan.FromMilliseconds(file.LeaseCommitDelayMs ?? DhcpServerSection.DefaultLeaseCommitDelayMs),
            Port = file.Port ?? DhcpServerSection.DefaultPort,
        };
    }

    /// <summary>"options": { "router": "192.0.2.1", "dns": [...], "224": "0a0b" } through the option table.</summary>
    public static OptionSet ReadOptions(IReadOnlyDictionary<string, JsonElement>? options, string path)
    {
        var set = new OptionSet();
        foreach (var (name, value) in options ?? new Dictionary<string, JsonElement>())
        {
            string key = $"{path}.options.{name}";
            DhcpOptionDefinition? definition;
            if (byte.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out byte code))
            {
                definition = DhcpOptionSpaces.Dhcp4[code];
            }
            else if (DhcpOptionSpaces.Dhcp4.TryGet(name, out definition))
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
                if (!OptionValueConfiguration.TryEncodeUndefined(value, out data, out error))
                {
                    throw new ConfigurationException(key, $"option {code} has no definition; give its value as hex bytes ({error})");
                }
            }
            else if (!OptionValueConfiguration.TryEncode(definition, value, out data, out error))
            {
                throw new ConfigurationException(key, error);
            }

            set.Set(code, data);
        }

        return set;
    }

    private static SubnetOptions ReadSubnet(SubnetEntry file, string path, HashSet<string> classNames)
    {
        if (!IPv4Network.TryParse(file.Subnet, out var network))
        {
            throw new ConfigurationException($"{path}.subnet", $"\"{file.Subnet}\" is not a network such as 192.168.1.0/24 with the host bits zero");
        }

        return new SubnetOptions
        {
            Network = network,
            Interface = file.Interface,
            SharedNetwork = file.SharedNetwork,
            LeaseTime = Seconds(file.LeaseTime),
            Pools = (file.Pools ?? []).Select((p, i) => ReadPool(p, $"{path}.pools[{i}]", network, classNames)).ToList(),
            Reservations = (file.Reservations ?? []).Select((r, i) => ReadReservation(r, $"{path}.reservations[{i}]", network)).ToList(),
            Options = ReadOptions(file.Options, path),
        };
    }

    private static PoolOptions ReadPool(PoolEntry file, string path, IPv4Network network, HashSet<string> classNames)
    {
        var range = Range(file.Range, $"{path}.range");
        if (!network.Contains(range.First) || !network.Contains(range.Last))
        {
            throw new ConfigurationException($"{path}.range", $"{range} is not inside subnet {network}");
        }

        if ((long)range.Last.Value - range.First.Value + 1 > Allocation.AddressPool.MaximumSize)
        {
            throw new ConfigurationException($"{path}.range", $"{range} is larger than {Allocation.AddressPool.MaximumSize} addresses");
        }

        var classes = file.Classes ?? [];
        foreach (var name in classes.Where(n => !classNames.Contains(n)))
        {
            throw new ConfigurationException($"{path}.classes", $"no class is named \"{name}\"");
        }

        return new PoolOptions
        {
            First = range.First,
            Last = range.Last,
            Exclusions = (file.Exclude ?? []).Select((s, i) => Range(s, $"{path}.exclude[{i}]")).ToList(),
            AllowedClasses = classes,
            Options = ReadOptions(file.Options, path),
        };
    }

    private static ReservationOptions ReadReservation(ReservationEntry file, string path, IPv4Network network)
    {
        var reservation = new ReservationOptions
        {
            HardwareAddress = HardwareAddress(file.Mac, $"{path}.mac"),
            HardwareAddressPrefix = HardwareAddress(file.MacPrefix, $"{path}.macPrefix"),
            ClientIdentifier = Hex(file.ClientId, $"{path}.clientId"),
            Address = Address(file.Address, $"{path}.address"),
            HostName = file.Hostname,
            Options = ReadOptions(file.Options, path),
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

    private static ClientClassOptions ReadClass(ClientClassEntry file, string path)
    {
        string matchPath = $"{path}.match";
        var match = file.Match;
        if (match == new ClientClassMatchEntry())
        {
            throw new ConfigurationException(matchPath, "needs at least one condition");
        }

        return new ClientClassOptions
        {
            Name = file.Name,
            VendorClassPrefix = match.VendorClassPrefix,
            VendorClassContains = match.VendorClassContains,
            UserClass = match.UserClass,
            Architectures = Architectures(match.Architecture, $"{matchPath}.architecture"),
            CircuitId = Hex(match.CircuitId, $"{matchPath}.circuitId"),
            RemoteId = Hex(match.RemoteId, $"{matchPath}.remoteId"),
            HardwareAddressPrefix = HardwareAddress(match.MacPrefix, $"{matchPath}.macPrefix"),
            Options = ReadOptions(file.Options, path),
        };
    }

    private static List<byte> ReadAlwaysSend(IReadOnlyList<JsonElement>? items)
    {
        var codes = new List<byte>();
        for (int i = 0; i < (items?.Count ?? 0); i++)
        {
            var item = items![i];
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
                throw new ConfigurationException($"$.alwaysSend[{i}]", $"{item.GetRawText()} is not an option code (1-254) or option name");
            }
        }

        return codes;
    }

    /// <summary>
    /// T1 and T2 are global, lease times are per subnet too: a T1 or T2 not shorter than a lease
    /// time would tell clients to renew after their lease ended, so the lease time is refused.
    /// </summary>
    private static void CheckRenewalTimes(DhcpServerOptions options, string globalNote)
    {
        CheckLeaseTime(options, options.LeaseTime, "$.leaseTime", globalNote, subnet: false);
        if (options.RenewalTime is { } t1 && (options.RebindingTime ?? options.LeaseTime * 0.875) <= t1)
        {
            throw new ConfigurationException("$.renewalTime", "must be shorter than rebindingTime");
        }

        for (int i = 0; i < options.Subnets.Count; i++)
        {
            if (options.Subnets[i].LeaseTime is { } lease)
            {
                CheckLeaseTime(options, lease, $"$.subnets[{i}].leaseTime", "", subnet: true);
            }
        }
    }

    private static void CheckLeaseTime(DhcpServerOptions options, TimeSpan lease, string key, string note, bool subnet)
    {
        foreach (var (time, name) in new[] { (options.RenewalTime, "renewalTime"), (options.RebindingTime, "rebindingTime") })
        {
            if (time is { } t && lease <= t)
            {
                throw new ConfigurationException(key, $"{lease.TotalSeconds} s{note} is not longer than {name} ({t.TotalSeconds} s)");
            }
        }

        // Without rebindingTime, T2 is 0.875 of each lease time and must still come after T1 (for
        // the global lease time the check on $.renewalTime says so).
        if (subnet && options.RenewalTime is { } t1 && options.RebindingTime is null && lease * 0.875 <= t1)
        {
            throw new ConfigurationException(key, $"{lease.TotalSeconds} s{note} makes the default rebindingTime {(lease * 0.875).TotalSeconds} s (0.875 of it), not longer than renewalTime ({t1.TotalSeconds} s)");
        }
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
}
