using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Boot.Configuration;

/// <summary>One element of "boot.rules", as written: conditions and what to boot (bootFile, httpUrl or menu).</summary>
public sealed record BootRuleEntry
{
    public string? Name { get; init; }

    public BootMatchEntry? Match { get; init; }

    [Description("TFTP file name (or, for iPXE, any URL iPXE understands).")]
    public string? BootFile { get; init; }

    [RegularExpression(ConfigurationPatterns.IPv4)]
    [Description("siaddr: the TFTP server; default the answering server itself.")]
    public string? NextServer { get; init; }

    public string? ServerName { get; init; }

    [RegularExpression(ConfigurationPatterns.HttpUrl)]
    [Description("For UEFI HTTP boot: the http:// or https:// URL of the image.")]
    public string? HttpUrl { get; init; }

    public BootMenuEntry? Menu { get; init; }
}
