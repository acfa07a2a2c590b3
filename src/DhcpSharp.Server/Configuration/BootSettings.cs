using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Pxe;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// The "boot" section: proxyDHCP, TFTP, HTTP and the boot rules. Read by the same loader as the
/// DHCP settings (one file, one validator); turned into a boot policy by DhcpSharp.Boot.
/// </summary>
public sealed record BootSettings
{
    public const string DefaultRoot = "/var/lib/dhcpsharp/boot";
    public const int DefaultHttpPort = 8080;

    /// <summary>Answer PXE/HTTP-boot clients on links this server does not give addresses on (ports 67 and 4011).</summary>
    public bool Proxy { get; init; }

    /// <summary>Interfaces for the proxy; empty: every interface the server listens on.</summary>
    public IReadOnlyList<string> ProxyInterfaces { get; init; } = [];

    /// <summary>Directory served by TFTP and HTTP; created if missing.</summary>
    public string Root { get; init; } = DefaultRoot;

    public bool Tftp { get; init; } = true;

    public int TftpPort { get; init; } = 69;

    public bool TftpSinglePort { get; init; }

    public int TftpMaximumBlockSize { get; init; } = 1468;

    public int TftpMaximumWindowSize { get; init; } = 64;

    public bool Http { get; init; } = true;

    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>Rules in order, first match wins; the built-in ones follow when <see cref="DefaultRules"/>.</summary>
    public IReadOnlyList<BootRuleSettings> Rules { get; init; } = [];

    /// <summary>Append the built-in rules (iPXE → script, BIOS → undionly.kpxe, UEFI x64 → snponly.efi, HTTP boot → URL).</summary>
    public bool DefaultRules { get; init; } = true;

    /// <summary><c>--boot ARCH=FILE</c> overrides of the built-in rules, as given.</summary>
    public IReadOnlyList<(ProcessorArchitecture? Architecture, bool Ipxe, string File)> Overrides { get; init; } = [];
}

/// <summary>A boot rule as configured: conditions (all that are set must hold) and the answer.</summary>
public sealed record BootRuleSettings
{
    public string? Name { get; init; }

    public IReadOnlyList<ProcessorArchitecture> Architectures { get; init; } = [];

    public string? VendorClassPrefix { get; init; }

    public string? UserClass { get; init; }

    public bool? Ipxe { get; init; }

    public byte[]? HardwareAddress { get; init; }

    public byte[]? HardwareAddressPrefix { get; init; }

    public Guid? Uuid { get; init; }

    public string? Interface { get; init; }

    public string? BootFile { get; init; }

    public IPv4Address? NextServer { get; init; }

    public string? ServerName { get; init; }

    public string? HttpUrl { get; init; }

    public BootMenuSettings? Menu { get; init; }
}

/// <summary>A PXE menu as configured: prompt, timeout in seconds, items (type, text, boot file).</summary>
public sealed record BootMenuSettings(string Prompt, byte Timeout, IReadOnlyList<(ushort Type, string Description, string BootFile)> Items);
