using DhcpSharp.Client.Diagnostics;
using DhcpSharp.Protocol;

namespace DhcpSharp.Client.StateMachine;

/// <summary>BOUND: nothing to send until T1.</summary>
internal sealed class BoundState : ClientState
{
    public override DhcpClientState Name => DhcpClientState.Bound;

    public override ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        var lease = context.Lease ?? throw new InvalidOperationException("BOUND without a lease");
        if (lease.IsInfinite)
        {
            Deadline = null;
            return Stay;
        }

        // A clock that jumped past T1 (suspend, a slow handler) renews at once.
        Deadline = lease.RenewAt;
        return lease.RenewAt <= context.Now ? Next(new RenewingState()) : Stay;
    }

    public override ValueTask<ClientState?> OnDeadlineAsync(ClientContext context, CancellationToken cancellationToken) =>
        Next(new RenewingState());

    public override ValueTask<ClientState?> OnReplyAsync(ClientContext context, DhcpMessage reply, CancellationToken cancellationToken) =>
        Ignore(context, reply, "late reply while BOUND");
}

/// <summary>
/// RENEWING (from T1, unicast to the server that granted the lease) and REBINDING (from T2,
/// broadcast to any server). Retransmission waits half the time left to the state's limit, at
/// least 60 s (RFC 2131 §4.4.5). A new lease runs from the first REQUEST of the exchange.
/// </summary>
internal abstract class ExtendingState : RetransmittingState
{
    private DhcpLease? _lease;

    protected DhcpLease Lease => _lease ?? throw new InvalidOperationException("no lease to extend");

    protected abstract DhcpLeaseChangeKind Success { get; }

    protected override DateTimeOffset? Limit => _lease is null ? null : LimitOf(_lease);

    protected abstract DateTimeOffset LimitOf(DhcpLease lease);

    public override async ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        _lease = context.Lease ?? throw new InvalidOperationException($"{Name} without a lease");
        if (context.Now >= LimitOf(_lease))
        {
            return await OnExhaustedAsync(context, cancellationToken).ConfigureAwait(false);
        }

        context.NewXid();
        await BeginAsync(context, cancellationToken).ConfigureAwait(false);
        return null;
    }

    protected override DateTimeOffset NextTransmission(ClientContext context, DateTimeOffset now) =>
        RetransmissionSchedule.NextRenewal(now, LimitOf(Lease), context.Options.MinimumRenewalRetransmission);

    public override ValueTask<ClientState?> OnReplyAsync(ClientContext context, DhcpMessage reply, CancellationToken cancellationToken)
    {
        if (reply.MessageType == DhcpMessageType.Nak)
        {
            return Next(AfterNak(context, reply));
        }

        if (reply.MessageType != DhcpMessageType.Ack || reply.YourAddress.IsAny)
        {
            return Ignore(context, reply, "waiting for ACK or NAK");
        }

        var fallback = Lease.IsInfinite ? context.Options.FallbackLeaseTime : Lease.LeaseTime;
        context.Bind(Success, DhcpLease.FromAck(reply, StartedAt, fallback));
        return Next(new BoundState());
    }
}

internal sealed class RenewingState : ExtendingState
{
    public override DhcpClientState Name => DhcpClientState.Renewing;

    protected override DhcpLeaseChangeKind Success => DhcpLeaseChangeKind.Renewed;

    protected override DateTimeOffset LimitOf(DhcpLease lease) => lease.RebindAt;

    protected override ValueTask TransmitAsync(ClientContext context, CancellationToken cancellationToken) =>
        context.UnicastAsync(context.Messages.RenewRequest(context.Xid, context.SecondsSince(StartedAt), Lease.Address), Lease.ServerIdentifier, cancellationToken);

    protected override ValueTask<ClientState?> OnExhaustedAsync(ClientContext context, CancellationToken cancellationToken) =>
        Next(new RebindingState());
}

internal sealed class RebindingState : ExtendingState
{
    public override DhcpClientState Name => DhcpClientState.Rebinding;

    protected override DhcpLeaseChangeKind Success => DhcpLeaseChangeKind.Rebound;

    protected override DateTimeOffset LimitOf(DhcpLease lease) => lease.ExpiresAt;

    protected override ValueTask TransmitAsync(ClientContext context, CancellationToken cancellationToken) =>
        context.BroadcastAsync(context.Messages.RenewRequest(context.Xid, context.SecondsSince(StartedAt), Lease.Address), cancellationToken);

    /// <summary>The lease ran out: stop using the address, and ask for it again when discovering.</summary>
    protected override ValueTask<ClientState?> OnExhaustedAsync(ClientContext context, CancellationToken cancellationToken)
    {
        ClientLog.GaveUp(context.Logger, "REQUEST (REBINDING)", Attempts, "lease expired");
        context.Lose(DhcpLeaseChangeKind.Expired, keepHint: true);
        return Next(new InitState(TimeSpan.Zero));
    }
}
