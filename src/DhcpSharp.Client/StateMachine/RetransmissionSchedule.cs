namespace DhcpSharp.Client.StateMachine;

/// <summary>
/// RFC 2131 §4.1: wait 4 seconds before the first retransmission, doubling up to 64, each wait
/// randomised by ±1 second so that clients started together do not stay in step.
/// </summary>
internal static class RetransmissionSchedule
{
    public static readonly TimeSpan Jitter = TimeSpan.FromSeconds(1);

    private const int FirstSeconds = 4;
    private const int MaximumDoublings = 4;

    /// <summary>Nominal wait after transmission number <paramref name="attempt"/> (0-based): 4, 8, 16, 32, 64, 64, ...</summary>
    public static TimeSpan Nominal(int attempt) => TimeSpan.FromSeconds(FirstSeconds << Math.Clamp(attempt, 0, MaximumDoublings));

    public static TimeSpan Next(int attempt, Random random) =>
        Nominal(attempt) + (Jitter * ((random.NextDouble() * 2) - 1));

    /// <summary>
    /// RENEWING/REBINDING (RFC 2131 §4.4.5): half the time left until <paramref name="limit"/>,
    /// but not less than the floor, and never past the limit itself.
    /// </summary>
    public static DateTimeOffset NextRenewal(DateTimeOffset now, DateTimeOffset limit, TimeSpan floor)
    {
        var half = (limit - now) / 2;
        var next = now + (half > floor ? half : floor);
        return next < limit ? next : limit;
    }
}
