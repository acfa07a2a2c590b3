namespace DhcpSharp.Server.Leases;

/// <summary>The life-cycle state of an address binding.</summary>
public enum LeaseState : byte
{
    /// <summary>Held for a client between OFFER and REQUEST; never persisted.</summary>
    Offered = 1,
    Bound = 2,
    Released = 3,
    Expired = 4,
    /// <summary>The client reported the address in use (DECLINE): out of use until probation ends.</summary>
    Declined = 5,
}
