namespace DhcpSharp.Server.Leases;

/// <summary>The outcome of a conditional write: the row as written, or the row that made the condition fail (null: there is none).</summary>
public readonly record struct LeaseWriteResult(bool Written, LeaseRecord? Current)
{
    public static LeaseWriteResult Success(LeaseRecord written) => new(true, written);

    public static LeaseWriteResult Conflict(LeaseRecord? current) => new(false, current);
}
