namespace DhcpSharp.Client;

/// <summary>The RFC 2131 client states (figure 5), plus <see cref="Stopped"/> for a client not seeking a lease.</summary>
public enum DhcpClientState
{
    /// <summary>Not started, released, or disposed; only INFORM is possible.</summary>
    Stopped,
    Init,
    Selecting,
    Requesting,
    InitReboot,
    Bound,
    Renewing,
    Rebinding,
    /// <summary>Waiting for the answer to a DHCPINFORM.</summary>
    Informing,
}

/// <summary>What happened to the lease.</summary>
public enum DhcpLeaseChangeKind
{
    /// <summary>A new lease (SELECTING/REQUESTING or INIT-REBOOT ended in an ACK).</summary>
    Bound,
    /// <summary>The server that granted the lease extended it (RENEWING).</summary>
    Renewed,
    /// <summary>Any server extended it after T2 (REBINDING).</summary>
    Rebound,
    /// <summary>The lease ran out without an answer: stop using the address.</summary>
    Expired,
    /// <summary>A server refused the request; any address held is lost.</summary>
    Nak,
    /// <summary>The client gave the address back (<see cref="DhcpClient.ReleaseAsync"/>).</summary>
    Released,
    /// <summary>The client reported the address in use (<see cref="DhcpClient.DeclineAsync"/>).</summary>
    Declined,
}

/// <summary>
/// One lease change. <see cref="Lease"/> is the new lease for Bound, Renewed and Rebound, and the
/// lost one for the others (null after a NAK that ended an attempt without a lease).
/// </summary>
public sealed record DhcpLeaseChange(DhcpLeaseChangeKind Kind, DhcpLease? Lease, DhcpLease? PreviousLease, DateTimeOffset Time, string? Message = null)
{
    /// <summary>Lower-case name as scripts and JSON see it ("bound", "nak").</summary>
    public string EventName => Kind.ToString().ToLowerInvariant();

    /// <summary>True when the address changed hands: the host must stop using <see cref="Lease"/>'s address.</summary>
    public bool LosesAddress => Kind is DhcpLeaseChangeKind.Expired or DhcpLeaseChangeKind.Nak or DhcpLeaseChangeKind.Released or DhcpLeaseChangeKind.Declined;
}
