using DhcpSharp.Boot.Policy;
using static DhcpSharp.Server.Configuration.ConfigurationValues;
using ConfigurationException = DhcpSharp.Server.Configuration.ConfigurationException;

namespace DhcpSharp.Boot.Configuration;

/// <summary>
/// The validation pass of the "boot" section: the file model (whose shape is already checked)
/// into <see cref="BootSettings"/> with the policy's own <see cref="BootRule"/>s, each error
/// naming its JSON path ($.boot.rules[0].match.uuid).
/// </summary>
public static class BootSectionValidator
{
    /// <returns>Null when the file has no "boot" section.</returns>
    public static BootSettings? Validate(BootSection? section, string path = "$.boot")
    {
        if (section is null)
        {
            return null;
        }

        return new BootSettings
        {
            Proxy = section.Proxy ?? false,
            ProxyInterfaces = section.ProxyInterfaces ?? [],
            Root = section.Root ?? BootSettings.DefaultRoot,
            Tftp = section.Tftp ?? true,
            TftpPort = section.TftpPort ?? BootSettings.DefaultTftpPort,
            TftpSinglePort = section.TftpSinglePort ?? false,
            TftpMaximumBlockSize = section.TftpMaxBlockSize ?? BootSettings.DefaultTftpMaximumBlockSize,
            TftpMaximumWindowSize = section.TftpMaxWindowSize ?? BootSettings.DefaultTftpMaximumWindowSize,
            Http = section.Http ?? true,
            HttpPort = section.HttpPort ?? BootSettings.DefaultHttpPort,
            Rules = (section.Rules ?? []).Select((r, i) => ReadRule(r, $"{path}.rules[{i}]")).ToList(),
            DefaultRules = section.DefaultRules ?? true,
        };
    }

    private static BootRule ReadRule(BootRuleEntry rule, string path)
    {
        var answer = new BootAnswer
        {
            BootFile = rule.BootFile,
            NextServer = Address(rule.NextServer, $"{path}.nextServer"),
            ServerName = rule.ServerName,
            HttpUrl = rule.HttpUrl,
            Menu = rule.Menu is { } menu ? ReadMenu(menu, $"{path}.menu") : null,
        };
        if (answer.BootFile is null && answer.HttpUrl is null && answer.Menu is null)
        {
            throw new ConfigurationException(path, "a boot rule needs bootFile, httpUrl or menu");
        }

        if (answer.HttpUrl is { } url && !(url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal)))
        {
            throw new ConfigurationException($"{path}.httpUrl", $"\"{url}\" is not an http:// or https:// URL");
        }

        return new BootRule(rule.Match is { } match ? ReadMatch(match, $"{path}.match") : new BootMatch(), answer, rule.Name);
    }

    private static BootMatch ReadMatch(BootMatchEntry match, string path) => new()
    {
        Architectures = Architectures(match.Architecture, $"{path}.architecture"),
        VendorClassPrefix = match.VendorClassPrefix,
        UserClass = match.UserClass,
        Ipxe = match.Ipxe,
        HardwareAddress = HardwareAddress(match.Mac, $"{path}.mac"),
        HardwareAddressPrefix = HardwareAddress(match.MacPrefix, $"{path}.macPrefix"),
        Uuid = match.Uuid is not { } uuid ? null
            : Guid.TryParse(uuid, out var guid) ? guid
            : throw new ConfigurationException($"{path}.uuid", $"\"{uuid}\" is not a UUID"),
        Interface = match.Interface,
    };

    private static PxeMenu ReadMenu(BootMenuEntry menu, string path)
    {
        if (menu.Items.Count == 0)
        {
            throw new ConfigurationException($"{path}.items", "a menu needs at least one item");
        }

        return new PxeMenu(
            menu.Prompt ?? BootMenuEntry.DefaultPrompt,
            (byte)(menu.Timeout ?? BootMenuEntry.DefaultTimeout),
            [.. menu.Items.Select(i => new PxeMenuEntry((ushort)i.Type, i.Description, i.BootFile))]);
    }
}
