using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Boot.Configuration;

/// <summary>The "boot" section of the configuration file, as written (absent keys are null; <see cref="BootSectionValidator"/> applies defaults).</summary>
public sealed record BootSection
{
    [DefaultValue(false)]
    [Description("proxyDHCP (ports 67 and 4011) for PXE/HTTP-boot clients on links this server gives no addresses on.")]
    public bool? Proxy { get; init; }

    [JsonConverter(typeof(StringListConverter))]
    [Description("Interfaces for the proxy; default: every interface the server listens on.")]
    public IReadOnlyList<string>? ProxyInterfaces { get; init; }

    [DefaultValue(BootSettings.DefaultRoot)]
    [Description("Directory served by TFTP and HTTP (created if missing); Debian's /usr/lib/ipxe fills in the default boot files.")]
    public string? Root { get; init; }

    [DefaultValue(true)]
    public bool? Tftp { get; init; }

    [Range(1, 65535)]
    [DefaultValue(BootSettings.DefaultTftpPort)]
    public int? TftpPort { get; init; }

    [DefaultValue(false)]
    [Description("Serve every TFTP transfer from tftpPort instead of a new port each (firewall-friendly).")]
    public bool? TftpSinglePort { get; init; }

    [Range(512, 65464)]
    [DefaultValue(BootSettings.DefaultTftpMaximumBlockSize)]
    public int? TftpMaxBlockSize { get; init; }

    [Range(1, 65535)]
    [DefaultValue(BootSettings.DefaultTftpMaximumWindowSize)]
    public int? TftpMaxWindowSize { get; init; }

    [DefaultValue(true)]
    public bool? Http { get; init; }

    [Range(1, 65535)]
    [DefaultValue(BootSettings.DefaultHttpPort)]
    public int? HttpPort { get; init; }

    [Description("Boot rules in order, first match wins; the built-in rules follow unless defaultRules is false.")]
    public IReadOnlyList<BootRuleEntry>? Rules { get; init; }

    [DefaultValue(true)]
    public bool? DefaultRules { get; init; }
}
