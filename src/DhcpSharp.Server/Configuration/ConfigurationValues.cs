using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Pxe;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Parsers the validation passes share (DHCP and boot sections): text of the file model into
/// addresses, MACs, hex and architectures, each failure naming its key.
/// </summary>
public static class ConfigurationValues
{
    public static IPv4Address? Address(string? text, string key) =>
        text is null ? null
        : IPv4Address.TryParse(text, out var address) ? address
        : throw new ConfigurationException(key, $"\"{text}\" is not an IPv4 address");

    public static byte[]? HardwareAddress(string? text, string key) =>
        text is null ? null
        : Protocol.HardwareAddress.TryParse(text, out var mac) ? mac
        : throw new ConfigurationException(key, $"\"{text}\" is not a hardware address such as aa:bb:cc:dd:ee:ff");

    public static byte[]? Hex(string? text, string key)
    {
        if (text is null)
        {
            return null;
        }

        string compact = text.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return compact.Length % 2 == 0 && compact.All(char.IsAsciiHexDigit)
            ? Convert.FromHexString(compact)
            : throw new ConfigurationException(key, $"\"{text}\" is not hex bytes such as 01:52:54:00:12:34:56");
    }

    public static TimeSpan? Seconds(long? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>"192.168.1.100-192.168.1.200" or a single address.</summary>
    public static AddressRange Range(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(text);
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

    /// <summary>Option 93 codes or short names ("uefi-x64", 7); each item's error names its index.</summary>
    public static List<ProcessorArchitecture> Architectures(IReadOnlyList<JsonElement>? items, string key)
    {
        var architectures = new List<ProcessorArchitecture>();
        for (int i = 0; i < (items?.Count ?? 0); i++)
        {
            var item = items![i];
            string text = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
            if (!ProcessorArchitectures.TryParse(text, out var architecture))
            {
                throw new ConfigurationException($"{key}[{i}]", $"\"{text}\" is not an architecture: use a code (0-65535) or one of {string.Join(", ", ProcessorArchitectures.ShortNamesKnown)}");
            }

            architectures.Add(architecture);
        }

        return architectures;
    }
}
