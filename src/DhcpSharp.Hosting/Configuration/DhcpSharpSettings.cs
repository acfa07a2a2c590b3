using DhcpSharp.Boot.Configuration;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Hosting.Configuration;

/// <summary>
/// The whole validated configuration of a DhcpSharp process: the DHCP rules, where to listen,
/// where leases live, and network boot. One configuration file (or the quick flags) becomes one
/// of these; the composition root builds every service from it.
/// </summary>
public sealed record DhcpSharpSettings
{
    public const string DefaultLeaseFile = DhcpServerSettings.DefaultLeaseFile;

    public static readonly TimeSpan DefaultLeaseCommitDelay = DhcpServerSettings.DefaultLeaseCommitDelay;

    /// <summary>Subnets, pools, classes, options and lease times (empty: no DHCP scope, proxy only).</summary>
    public DhcpServerOptions Dhcp { get; init; } = new();

    /// <summary>Interfaces to serve; empty: every interface with an address in a configured subnet (any, for a proxy).</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    public int Port { get; init; } = Server.Configuration.FileModel.DhcpServerSection.DefaultPort;

    /// <summary>The lease store: an SQLite file, ":memory:", or a URI a registered factory opens (postgresql://…).</summary>
    public string LeaseFile { get; init; } = DefaultLeaseFile;

    /// <summary>This server's name in the lease rows it writes; servers sharing one database need different ones.</summary>
    public string ServerName { get; init; } = Environment.MachineName;

    /// <summary>Group-commit window of the lease store while saves arrive faster than one per window.</summary>
    public TimeSpan LeaseCommitDelay { get; init; } = DefaultLeaseCommitDelay;

    /// <summary>Network boot: proxyDHCP, TFTP, HTTP and boot rules (null: no "boot" section).</summary>
    public BootSettings? Boot { get; init; }
}
