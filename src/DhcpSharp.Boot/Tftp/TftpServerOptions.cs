namespace DhcpSharp.Boot.Tftp;

/// <summary>TFTP server settings; the defaults suit PXE ROMs on a 1500-byte LAN.</summary>
public sealed record TftpServerOptions
{
    public int Port { get; init; } = 69;

    /// <summary>Largest blksize granted; also clamped to the interface MTU − 32 (PXE ROMs cannot reassemble fragments).</summary>
    public int MaximumBlockSize { get; init; } = 1468;

    /// <summary>Largest windowsize granted (RFC 7440).</summary>
    public int MaximumWindowSize { get; init; } = 64;

    /// <summary>First retransmission timeout when the client does not ask for one (RFC 2349 timeout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Retransmissions (with doubling timeout) before a transfer is abandoned.</summary>
    public int Retries { get; init; } = 6;

    /// <summary>Serve every transfer from port 69 instead of a new port each (firewall-friendly).</summary>
    public bool SinglePort { get; init; }

    /// <summary>Concurrent transfers; more are refused with an error until one ends.</summary>
    public int MaximumTransfers { get; init; } = 500;

    /// <summary>Pin the listening sockets to their interfaces (SO_BINDTODEVICE). Off for unprivileged tests.</summary>
    public bool BindToDevice { get; init; } = true;
}
