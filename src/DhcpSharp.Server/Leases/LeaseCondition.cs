namespace DhcpSharp.Server.Leases;

/// <summary>
/// The compare in a compare-and-set lease write. The store evaluates it atomically against its
/// own row, which is the only truth: two servers on one database can never both win.
/// </summary>
public readonly record struct LeaseCondition(LeaseConditionKind Kind, string? ClientKey, long Version)
{
    /// <summary>Claim: free, or already <paramref name="clientKey"/>'s (and not declined).</summary>
    public static LeaseCondition FreeOrHeldBy(string clientKey) => new(LeaseConditionKind.FreeOrHeldBy, clientKey, 0);

    /// <summary>Claim for an offer: free, or already offered to <paramref name="clientKey"/>.</summary>
    public static LeaseCondition FreeOrOfferedTo(string clientKey) => new(LeaseConditionKind.FreeOrOfferedTo, clientKey, 0);

    /// <summary>Held by <paramref name="clientKey"/> now (offered or bound, not expired).</summary>
    public static LeaseCondition HeldBy(string clientKey) => new(LeaseConditionKind.HeldBy, clientKey, 0);

    /// <summary>The row is still at <paramref name="version"/> (0: no row at all).</summary>
    public static LeaseCondition AtVersion(long version) => new(LeaseConditionKind.AtVersion, null, version);

    /// <summary>Overwrite whatever is there (an operator's decision).</summary>
    public static LeaseCondition Always => new(LeaseConditionKind.Always, null, 0);

    /// <summary>Whether <paramref name="current"/> (null: no row) satisfies the condition at <paramref name="now"/>.</summary>
    public bool IsMetBy(LeaseRecord? current, DateTimeOffset now) => Kind switch
    {
        LeaseConditionKind.FreeOrHeldBy => current is null || current.IsFreeAt(now) || (current.ClientKey == ClientKey && current.State != LeaseState.Declined),
        LeaseConditionKind.FreeOrOfferedTo => current is null || current.IsFreeAt(now) || (current.ClientKey == ClientKey && current.State == LeaseState.Offered),
        LeaseConditionKind.HeldBy => current is { State: LeaseState.Offered or LeaseState.Bound } && current.Expires > now && current.ClientKey == ClientKey,
        LeaseConditionKind.AtVersion => (current?.Version ?? 0) == Version,
        _ => true,
    };
}
