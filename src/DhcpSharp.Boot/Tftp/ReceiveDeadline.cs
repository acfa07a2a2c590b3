namespace DhcpSharp.Boot.Tftp;

/// <summary>
/// A token that fires after a timeout on the given clock, or when the outer token fires: one
/// timer and one registration per wait (a linked source would add a second source).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "It is disposable; the rule misreads a disposable struct.")]
internal readonly struct ReceiveDeadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenRegistration _outer;

    public ReceiveDeadline(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        _timer = new CancellationTokenSource(timeout, time);
        _outer = outer.Register(static state => ((CancellationTokenSource)state!).Cancel(), _timer);
    }

    public CancellationToken Token => _timer.Token;

    public void Dispose()
    {
        _outer.Dispose();
        _timer.Dispose();
    }
}
