using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Boot.Policy;

/// <summary>Turns the configuration's boot section into a policy.</summary>
public static class BootPolicyFactory
{
    /// <param name="settings">The "boot" section.</param>
    /// <param name="httpBase">Base URL of the HTTP boot server as clients reach it (null: no HTTP server).</param>
    /// <param name="callback">The library's typed async callback, consulted before the rules.</param>
    public static BootPolicy Create(BootSettings settings, string? httpBase, Func<BootRequest, CancellationToken, ValueTask<BootAnswer?>>? callback = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rules = settings.Rules.Select(ToRule).ToList();
        if (settings.DefaultRules)
        {
            rules.AddRange(BootPolicy.DefaultRules(httpBase, settings.Overrides.Select(o => new BootOverride(o.Architecture, o.Ipxe, o.File))));
        }

        return new BootPolicy(rules, callback);
    }

    private static BootRule ToRule(BootRuleSettings rule) => new(
        new BootMatch
        {
            Architectures = rule.Architectures,
            VendorClassPrefix = rule.VendorClassPrefix,
            UserClass = rule.UserClass,
            Ipxe = rule.Ipxe,
            HardwareAddress = rule.HardwareAddress,
            HardwareAddressPrefix = rule.HardwareAddressPrefix,
            Uuid = rule.Uuid,
            Interface = rule.Interface,
        },
        new BootAnswer
        {
            BootFile = rule.BootFile,
            NextServer = rule.NextServer,
            ServerName = rule.ServerName,
            HttpUrl = rule.HttpUrl,
            Menu = rule.Menu is { } menu ? new PxeMenu(menu.Prompt, menu.Timeout, [.. menu.Items.Select(i => new PxeMenuEntry(i.Type, i.Description, i.BootFile))]) : null,
        },
        rule.Name);
}
