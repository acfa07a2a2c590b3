using DhcpSharp.Boot.Policy;

namespace DhcpSharp.Boot.Configuration;

/// <summary>
/// The validated "boot" section: proxyDHCP, TFTP, HTTP and the boot rules (the file form is
/// <see cref="BootSection"/>; <see cref="BootSectionValidator"/> turns one into this).
/// </summary>
public sealed record BootSettings
{
    public const string DefaultRoot = "/var/lib/dhcpsharp/boot";
    public const int DefaultHttpPort = 8080;
    public const int DefaultTftpPort = 69;
    public const int DefaultTftpMaximumBlockSize = 1468;
    public const int DefaultTftpMaximumWindowSize = 64;

    /// <summary>Answer PXE/HTTP-boot clients on links this server does not give addresses on (ports 67 and 4011).</summary>
    public bool Proxy { get; init; }

    /// <summary>Interfaces for the proxy; empty: every interface the server listens on.</summary>
    public IReadOnlyList<string> ProxyInterfaces { get; init; } = [];

    /// <summary>Directory served by TFTP and HTTP; created if missing.</summary>
    public string Root { get; init; } = DefaultRoot;

    public bool Tftp { get; init; } = true;

    public int TftpPort { get; init; } = DefaultTftpPort;

    public bool TftpSinglePort { get; init; }

    public int TftpMaximumBlockSize { get; init; } = DefaultTftpMaximumBlockSize;

    public int TftpMaximumWindowSize { get; init; } = DefaultTftpMaximumWindowSize;

    public bool Http { get; init; } = true;

    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>Configured rules in order, first match wins; the built-in ones follow when <see cref="DefaultRules"/>.</summary>
    public IReadOnlyList<BootRule> Rules { get; init; } = [];

    /// <summary>Append the built-in rules (iPXE → script, BIOS → undionly.kpxe, UEFI x64 → snponly.efi, HTTP boot → URL).</summary>
    public bool DefaultRules { get; init; } = true;

    /// <summary><c>--boot ARCH=FILE</c> overrides of the built-in rules, as given.</summary>
    public IReadOnlyList<BootOverride> Overrides { get; init; } = [];

    /// <summary>
    /// The rules a policy runs: the configured ones, then (with <see cref="DefaultRules"/>) the
    /// built-in ones with <see cref="Overrides"/> applied.
    /// </summary>
    /// <param name="httpBase">Base URL of the HTTP boot server as clients reach it (null: no HTTP server).</param>
    public IReadOnlyList<BootRule> EffectiveRules(string? httpBase) =>
        DefaultRules ? [.. Rules, .. BootPolicy.DefaultRules(httpBase, Overrides)] : Rules;
}
