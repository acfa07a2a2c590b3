namespace DhcpSharp.Server.Diagnostics;

/// <summary>
/// Caps per-request log lines (NAKs, "no free address"). One at a time they help an operator; in
/// a flood of bad requests, formatting and writing each would slow the thread that receives
/// requests. Lets through a fixed number of lines per second and counts the rest, so the next
/// line let through can say how many were held back. Counters (metrics) still see every request.
/// </summary>
internal sealed class RequestLogLimiter(TimeProvider time, int linesPerSecond = 50)
{
    private readonly Lock _lock = new();
    private long _windowStart = time.GetTimestamp();
    private int _used;
    private long _suppressed;

    /// <summary>True when a line may be written; <paramref name="suppressed"/> = lines held back since the last one written.</summary>
    public bool TryAcquire(out long suppressed)
    {
        lock (_lock)
        {
            long now = time.GetTimestamp();
            if (time.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _used = 0;
            }

            if (_used < linesPerSecond)
            {
                _used++;
                suppressed = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            suppressed = 0;
            return false;
        }
    }
}
