using System.Threading.Channels;

namespace DhcpSharp.Client.StateMachine;

/// <summary>
/// Everything the state machine reacts to, in arrival order: replies from the receive pump and
/// commands from the public API. One reader (the state machine loop) waits here for the next
/// input or its current deadline, whichever comes first.
/// </summary>
internal sealed class ClientInbox
{
    /// <summary>Task.Delay cannot wait longer than about 49 days; longer waits are taken in steps.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly Channel<ClientInput> _channel = Channel.CreateUnbounded<ClientInput>(); // not SingleReader: that variant cannot count
    private volatile WaitingSnapshot? _waiting;

    public int Count => _channel.Reader.Count;

    /// <summary>
    /// Set while the loop is blocked with nothing to do but wait for input or the deadline.
    /// Tests on a fake clock read it to advance time only when the client is idle, and exactly
    /// to its next deadline.
    /// </summary>
    public WaitingSnapshot? Waiting => _waiting;

    public bool Post(ClientInput input) => _channel.Writer.TryWrite(input);

    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>The next input, or null once <paramref name="deadline"/> (on <paramref name="time"/>'s clock) has passed.</summary>
    public async ValueTask<ClientInput?> ReceiveAsync(TimeProvider time, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_channel.Reader.TryRead(out var input))
            {
                return input;
            }

            var now = time.GetUtcNow();
            if (deadline is { } due && due <= now)
            {
                return null;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var readable = _channel.Reader.WaitToReadAsync(wake.Token).AsTask();
            Task? timer = deadline is { } until ? Task.Delay(Min(until - now, LongestWait), time, wake.Token) : null;
            _waiting = new WaitingSnapshot(deadline);
            try
            {
                var first = timer is null ? readable : await Task.WhenAny(readable, timer).ConfigureAwait(false);
                if (first == readable && !await readable.ConfigureAwait(false))
                {
                    throw new OperationCanceledException("the client is closed");
                }
            }
            finally
            {
                _waiting = null;
                await wake.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>The loop is waiting; <see cref="Deadline"/> null means it waits for input only.</summary>
internal sealed record WaitingSnapshot(DateTimeOffset? Deadline);
