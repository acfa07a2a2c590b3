namespace DhcpSharp.Server.Leases;

/// <summary>When a conditional lease write may happen (see <see cref="LeaseCondition"/>).</summary>
public enum LeaseConditionKind : byte
{
    /// <summary>The address is free (no row, released, expired, or its time is up) or already this client's: a claim for a binding.</summary>
    FreeOrHeldBy,

    /// <summary>Free, or already offered to this client: a claim for an offer, which never replaces a binding (an offer never shortens a lease).</summary>
    FreeOrOfferedTo,

    /// <summary>The address is this client's right now (offered or bound, not expired): release, decline.</summary>
    HeldBy,

    /// <summary>The row is exactly the version the server last saw: withdraw an offer, end an expired lease.</summary>
    AtVersion,

    /// <summary>Whatever is there: an operator's decision (the control API), or a test setting up a store.</summary>
    Always,
}
