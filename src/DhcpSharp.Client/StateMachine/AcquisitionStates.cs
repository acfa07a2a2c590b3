using DhcpSharp.Client.Diagnostics;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Client.StateMachine;

/// <summary>Not seeking a lease: before start, after RELEASE, or between INFORMs.</summary>
internal sealed class StoppedState : ClientState
{
    public override DhcpClientState Name => DhcpClientState.Stopped;

    public override ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        Deadline = null;
        return Stay;
    }
}

/// <summary>INIT: optionally wait (random start delay, after a NAK or DECLINE), then discover.</summary>
internal sealed class InitState(TimeSpan delay) : ClientState
{
    public override DhcpClientState Name => DhcpClientState.Init;

    public override ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Next(new SelectingState());
        }

        Deadline = context.Now + delay;
        return Stay;
    }

    public override ValueTask<ClientState?> OnDeadlineAsync(ClientContext context, CancellationToken cancellationToken) =>
        Next(new SelectingState());
}

/// <summary>
/// SELECTING: DISCOVER (retransmitted until someone answers), then collect OFFERs for the
/// collection window after the first and pick one.
/// </summary>
internal sealed class SelectingState : RetransmittingState
{
    private readonly List<DhcpOffer> _offers = [];
    private DateTimeOffset? _chooseAt;

    public override DhcpClientState Name => DhcpClientState.Selecting;

    public override async ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        context.NewXid();
        await BeginAsync(context, cancellationToken).ConfigureAwait(false);
        return null;
    }

    protected override ValueTask TransmitAsync(ClientContext context, CancellationToken cancellationToken) =>
        context.BroadcastAsync(context.Messages.Discover(context.Xid, context.SecondsSince(StartedAt), context.AddressHint), cancellationToken);

    protected override ValueTask<ClientState?> OnExhaustedAsync(ClientContext context, CancellationToken cancellationToken) => Stay;

    public override ValueTask<ClientState?> OnReplyAsync(ClientContext context, DhcpMessage reply, CancellationToken cancellationToken)
    {
        if (reply.MessageType != DhcpMessageType.Offer)
        {
            return Ignore(context, reply, "only OFFERs count in SELECTING");
        }

        var offer = DhcpOffer.FromMessage(reply, context.Now);
        if (offer.Address.IsAny || offer.ServerIdentifier.IsAny)
        {
            return Ignore(context, reply, "an OFFER needs yiaddr and a server identifier");
        }

        ClientLog.Offered(context.Logger, offer.Address, offer.ServerIdentifier);
        _offers.Add(offer);
        if (_chooseAt is null)
        {
            _chooseAt = context.Now + context.Options.OfferCollectionWindow;
            HoldUntil(_chooseAt.Value);
            if (context.Options.OfferCollectionWindow <= TimeSpan.Zero)
            {
                return Next(Choose(context));
            }
        }

        return Stay;
    }

    public override ValueTask<ClientState?> OnDeadlineAsync(ClientContext context, CancellationToken cancellationToken) =>
        _chooseAt is { } chooseAt && context.Now >= chooseAt ? Next(Choose(context)) : base.OnDeadlineAsync(context, cancellationToken);

    private RequestingState Choose(ClientContext context)
    {
        var chosen = context.Options.OfferSelector?.Invoke(_offers)
            ?? _offers.FirstOrDefault(o => o.Address == context.AddressHint)
            ?? _offers[0];
        return new RequestingState(chosen, context.Xid, StartedAt);
    }
}

/// <summary>REQUESTING: broadcast REQUEST naming the chosen server (54) and address (50), same xid as the DISCOVER.</summary>
internal sealed class RequestingState(DhcpOffer offer, uint xid, DateTimeOffset discoveryStartedAt) : RetransmittingState
{
    private DateTimeOffset _firstRequestAt;

    public override DhcpClientState Name => DhcpClientState.Requesting;

    protected override int MaximumAttempts(DhcpClientOptions options) => options.RequestAttempts;

    public override async ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        context.UseXid(xid);
        _firstRequestAt = context.Now;
        await BeginAsync(context, cancellationToken).ConfigureAwait(false);
        return null;
    }

    // secs keeps counting from the DISCOVER: it is one acquisition (RFC 2131 table 5).
    protected override ValueTask TransmitAsync(ClientContext context, CancellationToken cancellationToken) =>
        context.BroadcastAsync(context.Messages.SelectingRequest(xid, context.SecondsSince(discoveryStartedAt), offer), cancellationToken);

    protected override ValueTask<ClientState?> OnExhaustedAsync(ClientContext context, CancellationToken cancellationToken)
    {
        ClientLog.GaveUp(context.Logger, "REQUEST", Attempts, "back to INIT");
        return Next(new InitState(TimeSpan.Zero));
    }

    public override ValueTask<ClientState?> OnReplyAsync(ClientContext context, DhcpMessage reply, CancellationToken cancellationToken)
    {
        var server = ServerOf(reply);
        if (reply.MessageType is not (DhcpMessageType.Ack or DhcpMessageType.Nak))
        {
            return Ignore(context, reply, "waiting for ACK or NAK");
        }

        if (!server.IsAny && server != offer.ServerIdentifier)
        {
            return Ignore(context, reply, $"from a server other than the chosen {offer.ServerIdentifier}");
        }

        if (reply.MessageType == DhcpMessageType.Nak)
        {
            return Next(AfterNak(context, reply));
        }

        if (reply.YourAddress.IsAny)
        {
            return Ignore(context, reply, "ACK without yiaddr");
        }

        context.Bind(DhcpLeaseChangeKind.Bound, DhcpLease.FromAck(reply, _firstRequestAt, context.Options.FallbackLeaseTime));
        return Next(new BoundState());
    }
}

/// <summary>
/// INIT-REBOOT / REBOOTING: ask for a remembered address back (50, no 54, ciaddr 0). Silence
/// until <see cref="DhcpClientOptions.InitRebootTimeout"/> means no server minds: discover,
/// asking for the same address.
/// </summary>
internal sealed class InitRebootState(IPv4Address address) : RetransmittingState
{
    private DateTimeOffset _giveUpAt = DateTimeOffset.MaxValue;

    public override DhcpClientState Name => DhcpClientState.InitReboot;

    protected override DateTimeOffset? Limit => _giveUpAt;

    public override async ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        context.NewXid();
        _giveUpAt = context.Now + context.Options.InitRebootTimeout;
        await BeginAsync(context, cancellationToken).ConfigureAwait(false);
        return null;
    }

    protected override ValueTask TransmitAsync(ClientContext context, CancellationToken cancellationToken) =>
        context.BroadcastAsync(context.Messages.InitRebootRequest(context.Xid, context.SecondsSince(StartedAt), address), cancellationToken);

    protected override ValueTask<ClientState?> OnExhaustedAsync(ClientContext context, CancellationToken cancellationToken)
    {
        ClientLog.GaveUp(context.Logger, "REQUEST (INIT-REBOOT)", Attempts, "discovering");
        context.AddressHint = address;
        return Next(new InitState(TimeSpan.Zero));
    }

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

        context.Bind(DhcpLeaseChangeKind.Bound, DhcpLease.FromAck(reply, StartedAt, context.Options.FallbackLeaseTime));
        return Next(new BoundState());
    }
}

/// <summary>INFORM: configuration for an address set up by other means; no lease (RFC 2131 §3.4).</summary>
internal sealed class InformingState(IPv4Address address, TaskCompletionSource<DhcpConfiguration> completion) : RetransmittingState
{
    public override DhcpClientState Name => DhcpClientState.Informing;

    protected override int MaximumAttempts(DhcpClientOptions options) => options.RequestAttempts;

    public override async ValueTask<ClientState?> EnterAsync(ClientContext context, CancellationToken cancellationToken)
    {
        context.NewXid();
        await BeginAsync(context, cancellationToken).ConfigureAwait(false);
        return null;
    }

    protected override ValueTask TransmitAsync(ClientContext context, CancellationToken cancellationToken) =>
        context.BroadcastAsync(context.Messages.Inform(context.Xid, context.SecondsSince(StartedAt), address), cancellationToken);

    protected override ValueTask<ClientState?> OnExhaustedAsync(ClientContext context, CancellationToken cancellationToken)
    {
        ClientLog.GaveUp(context.Logger, "INFORM", Attempts, "giving up");
        completion.TrySetException(new TimeoutException($"no server answered DHCPINFORM for {address} after {Attempts} transmissions"));
        return Next(new StoppedState());
    }

    public override ValueTask<ClientState?> OnReplyAsync(ClientContext context, DhcpMessage reply, CancellationToken cancellationToken)
    {
        if (reply.MessageType != DhcpMessageType.Ack)
        {
            return Ignore(context, reply, "waiting for the ACK to INFORM");
        }

        completion.TrySetResult(DhcpConfiguration.FromReply(reply));
        return Next(new StoppedState());
    }

    /// <summary>The caller is told when anything else (dispose, release) ends the exchange.</summary>
    public void Abandon() => completion.TrySetCanceled();
}
