using System.Runtime.CompilerServices;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Engine;

/// <summary>REQUEST in SELECTING, INIT-REBOOT, RENEWING or REBINDING (RFC 2131 §4.3.2).</summary>
internal sealed class RequestHandler(EngineServices services) : IMessageHandler
{
    private enum ClientState
    {
        Selecting,
        InitReboot,
        RenewingOrRebinding,
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var scope = context.Scope!;
        ClientState state;
        IPv4Address address;
        if (context.ServerIdentifierInRequest is { } chosen)
        {
            if (chosen != context.ServerIdentifier)
            {
                // The client took another server's offer: free ours, say nothing.
                await services.Leases.WithdrawAsync(context.Client, cancellationToken).ConfigureAwait(false);
                return Silent(context, $"client chose server {chosen}");
            }

            state = ClientState.Selecting;
            if (context.RequestedAddress is { } selected)
            {
                address = selected;
            }
            else if (!request.ClientAddress.IsAny)
            {
                address = request.ClientAddress;
            }
            else
            {
                return Nak(context, "REQUEST names this server but no address");
            }
        }
        else if (context.RequestedAddress is { } rebooting && request.ClientAddress.IsAny)
        {
            state = ClientState.InitReboot;
            address = rebooting;
        }
        else if (!request.ClientAddress.IsAny)
        {
            state = ClientState.RenewingOrRebinding;
            address = request.ClientAddress;
        }
        else
        {
            return Silent(context, "REQUEST without server identifier, requested address or ciaddr");
        }

        var previous = await services.Leases.FindByAddressAsync(address, cancellationToken).ConfigureAwait(false);
        var leaseTime = scope.Replies.LeaseTimeFor(context);
        // The ACK leaves only once the lease is durable: the store's write completes after its commit.
        var decision = await services.AwaitStoreAsync(services.Leases.CommitAsync(context.Client, context.Subnet!.Link, context.Classes, context.Reservation?.Address, address, leaseTime, context.HostName, cancellationToken), context).ConfigureAwait(false);
        if (decision.Outcome == LeaseOutcome.Stale)
        {
            return Silent(context, decision.Reason ?? "configuration changed");
        }

        if (decision.Lease is not { } lease)
        {
            // Authoritative servers correct clients on the wrong network or with someone else's
            // address; a non-authoritative one answers only a client that chose it.
            return state == ClientState.Selecting || scope.Options.Authoritative
                ? Nak(context, decision.Reason ?? "address not available")
                : Silent(context, decision.Reason ?? "address not available");
        }

        context.Lease = lease;
        bool renewal = previous is { State: LeaseState.Bound } && previous.ClientKey == lease.ClientKey;
        services.Metrics.LeaseChange(renewal ? "renewed" : "bound");
        if (renewal)
        {
            services.Events.RaiseRenewed(lease, context);
        }
        else
        {
            services.Events.RaiseBound(lease, context);
        }

        return scope.Replies.Build(context, DhcpMessageType.Ack, lease.Address, leaseTime);
    }

    private DhcpMessage? Silent(DhcpRequestContext context, string reason)
    {
        ServerLog.Dropped(services.Logger, "REQUEST", context.Client.ToString(), reason);
        return null;
    }

    private DhcpMessage Nak(DhcpRequestContext context, string reason)
    {
        if (services.MayLogRequest())
        {
            ServerLog.Handled(services.Logger, "REQUEST", context.Client.ToString(), context.Ingress.Name, $"NAK: {reason}");
        }

        return ReplyBuilder.BuildNak(context, reason);
    }
}
