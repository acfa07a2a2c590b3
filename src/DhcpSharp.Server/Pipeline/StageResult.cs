namespace DhcpSharp.Server.Pipeline;

/// <summary>
/// A stage's decision. A drop carries a reason from a small fixed set (it becomes a metric label,
/// so it must never contain anything a client sent) and an optional detail for the log.
/// </summary>
public readonly record struct StageResult(StageOutcome Outcome, string? Reason = null, string? Detail = null)
{
    public static StageResult Continue => default;

    public static StageResult Respond => new(StageOutcome.Respond);

    /// <param name="reason">Bounded: a constant text, never built from request bytes.</param>
    /// <param name="detail">Free text for the log line (may name client values).</param>
    public static StageResult Drop(string reason, string? detail = null) => new(StageOutcome.Drop, reason, detail);

    public static ValueTask<StageResult> ContinueTask => ValueTask.FromResult(Continue);
}
