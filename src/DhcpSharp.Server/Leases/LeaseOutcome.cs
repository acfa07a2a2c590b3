namespace DhcpSharp.Server.Leases;

/// <summary>What a lease operation decided.</summary>
public enum LeaseOutcome
{
    Granted,
    /// <summary>No free address for this client on this link.</summary>
    Exhausted,
    /// <summary>The address is not valid for this client here: NAK.</summary>
    Refused,
    /// <summary>Nothing to do or say (unknown lease, another client's address on RELEASE …).</summary>
    Ignored,
    /// <summary>The configuration changed while the request was handled: drop it, the client retransmits.</summary>
    Stale,
}
