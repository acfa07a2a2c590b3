using DhcpSharp.Server.Configuration.FileModel;

namespace DhcpSharp.Server.Configuration;

/// <summary>What the DHCP keys of the file say beyond the DHCP rules: where to listen and where leases live.</summary>
public sealed record DhcpServerSettings
{
    public const string DefaultLeaseFile = DhcpServerSection.DefaultLeaseFile;

    public static readonly TimeSpan DefaultLeaseCommitDelay = TimeSpan.FromMilliseconds(DhcpServerSection.DefaultLeaseCommitDelayMs);

    public required DhcpServerOptions Server { get; init; }

    /// <summary>Interfaces to serve; empty: every interface with an address in a configured subnet.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    public string LeaseFile { get; init; } = DefaultLeaseFile;

    /// <summary>This server's name in the lease rows it writes (default: the host name).</summary>
    public string ServerName { get; init; } = Environment.MachineName;

    /// <summary>
    /// Group-commit window of the lease store while saves arrive faster than one per window:
    /// more leases per fsync, at most this much later an ACK (see <see cref="Leases.SqliteLeaseStore"/>).
    /// </summary>
    public TimeSpan LeaseCommitDelay { get; init; } = DefaultLeaseCommitDelay;

    public int Port { get; init; } = DhcpServerSection.DefaultPort;
}
