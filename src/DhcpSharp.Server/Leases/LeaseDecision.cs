namespace DhcpSharp.Server.Leases;

/// <summary>The outcome of a lease operation, the lease it produced, and why when refused.</summary>
public readonly record struct LeaseDecision(LeaseOutcome Outcome, LeaseRecord? Lease, string? Reason)
{
    public static LeaseDecision Granted(LeaseRecord lease) => new(LeaseOutcome.Granted, lease, null);

    public static LeaseDecision Refused(string reason) => new(LeaseOutcome.Refused, null, reason);

    public static LeaseDecision Ignored(string reason) => new(LeaseOutcome.Ignored, null, reason);

    public static LeaseDecision Stale { get; } = new(LeaseOutcome.Stale, null, "the configuration changed while the request was handled");
}
