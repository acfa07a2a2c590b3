using DhcpSharp.Client.Diagnostics;
using DhcpSharp.Protocol;

namespace DhcpSharp.Client.StateMachine;

/// <summary>
/// One state of RFC 2131 figure 5. The loop calls <see cref="EnterAsync"/> on the way in, then
/// <see cref="OnReplyAsync"/> for each reply that matches the current exchange and
/// <see cref="OnDeadlineAsync"/> when <see cref="Deadline"/> passes. Each returns the next
/// state, or null to stay.
/// </summary>
internal abstract class ClientState
{
    protected static ValueTask<ClientState?> Stay => default;

    public abstract DhcpClientState Name { get; }

    /// <summary>When <see cref="OnDeadlineAsync"/> runs; null: only input moves this state on.</summary>
    public DateTimeOffset? Deadline { get; protected set; }

    public abstract ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken);

    public virtual ValueTask<ClientState?> OnDeadlineAsync(ClientContext context, CancellationToken cancellationToken) => Stay;

    public virtual ValueTask<ClientState?> OnReplyAsync(ClientContext context, DhcpMessage reply, CancellationToken cancellationToken) =>
        Ignore(context, reply, $"not expected in {Name}");

    protected static ValueTask<ClientState?> Ignore(ClientContext context, DhcpMessage reply, string reason)
    {
        ClientLog.Ignored(context.Logger, reply.MessageType.ToWireName(), reply.TransactionId, ServerOf(reply).ToString(), reason);
        return Stay;
    }

    protected static ValueTask<ClientState?> Next(ClientState state) => ValueTask.FromResult<ClientState?>(state);

    protected static IPv4Address ServerOf(DhcpMessage reply) =>
        reply.Options.GetOrDefault(Protocol.Options.DhcpOptions.ServerIdentifier, IPv4Address.Any);

    /// <summary>A NAK sends the client back to INIT after a pause, so a confused server cannot make it spin.</summary>
    protected static ClientState AfterNak(ClientContext context, DhcpMessage nak)
    {
        string text = nak.Options.GetOrDefault(Protocol.Options.DhcpOptions.Message, "");
        ClientLog.Nak(context.Logger, ServerOf(nak), text);
        context.Lose(DhcpLeaseChangeKind.Nak, keepHint: false, text.Length > 0 ? text : null);
        return new InitState(context.Options.NakDelay);
    }
}

/// <summary>
/// A state that sends one message and retransmits it on RFC 2131 §4.1's schedule (4, 8, 16, 32,
/// 64 s ±1 s) until answered, out of attempts, or past a hard limit.
/// </summary>
internal abstract class RetransmittingState : ClientState
{
    private DateTimeOffset _nextSend;

    /// <summary>When the exchange began: secs counts from here, and a lease runs from here.</summary>
    protected DateTimeOffset StartedAt { get; private set; }

    protected int Attempts { get; private set; }

    /// <summary>Transmissions before <see cref="OnExhaustedAsync"/>; int.MaxValue: forever.</summary>
    protected virtual int MaximumAttempts(DhcpClientOptions options) => int.MaxValue;

    /// <summary>A point after which the exchange ends regardless of retransmissions.</summary>
    protected virtual DateTimeOffset? Limit => null;

    /// <summary>Sends the message for the current attempt.</summary>
    protected abstract ValueTask TransmitAsync(ClientContext context, CancellationToken cancellationToken);

    /// <summary>Called when attempts run out or <see cref="Limit"/> passes.</summary>
    protected abstract ValueTask<ClientState?> OnExhaustedAsync(ClientContext context, CancellationToken cancellationToken);

    /// <summary>When to transmit again after a transmission at <paramref name="now"/>.</summary>
    protected virtual DateTimeOffset NextTransmission(ClientContext context, DateTimeOffset now) =>
        now + RetransmissionSchedule.Next(Attempts - 1, context.Random);

    /// <summary>Starts the exchange: first transmission at once.</summary>
    protected async ValueTask BeginAsync(ClientContext context, CancellationToken cancellationToken)
    {
        StartedAt = context.Now;
        Attempts = 0;
        await TransmitNowAsync(context, cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask<ClientState?> OnDeadlineAsync(ClientContext context, CancellationToken cancellationToken)
    {
        var now = context.Now;
        if (Limit is { } limit && now >= limit || now >= _nextSend && Attempts >= MaximumAttempts(context.Options))
        {
            return await OnExhaustedAsync(context, cancellationToken).ConfigureAwait(false);
        }

        if (now >= _nextSend)
        {
            await TransmitNowAsync(context, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Stops retransmitting but keeps the state (SELECTING collecting offers): the deadline becomes <paramref name="until"/>.</summary>
    protected void HoldUntil(DateTimeOffset until)
    {
        _nextSend = DateTimeOffset.MaxValue;
        Deadline = until;
    }

    private async ValueTask TransmitNowAsync(ClientContext context, CancellationToken cancellationToken)
    {
        Attempts++;
        await TransmitAsync(context, cancellationToken).ConfigureAwait(false);
        var now = context.Now;
        _nextSend = NextTransmission(context, now);
        Deadline = Limit is { } limit && limit < _nextSend ? limit : _nextSend;
    }
}
