using DhcpSharp.Protocol;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Server.Engine;

/// <summary>What the message handlers share.</summary>
internal sealed record EngineServices(
    DhcpServerOptions Options,
    LeaseManager Leases,
    ILeaseStore Store,
    ReplyBuilder Replies,
    LeaseEvents Events,
    DhcpServerCallbacks Callbacks,
    DhcpServerMetrics Metrics,
    IAddressProber? Prober,
    ILogger Logger)
{
    private readonly RequestLogLimiter _logLimiter = new(TimeProvider.System);

    /// <summary>Whether a per-request Information/Warning line may be written now (see <see cref="RequestLogLimiter"/>).</summary>
    public bool MayLogRequest()
    {
        if (!_logLimiter.TryAcquire(out long suppressed))
        {
            return false;
        }

        if (suppressed > 0)
        {
            ServerLog.LinesSuppressed(Logger, suppressed);
        }

        return true;
    }

    /// <summary>
    /// Saves and waits until the lease is durable. A store may finish the wait on its own writer
    /// thread (the SQLite store does, so a batch's ACKs leave right after its fsync); user code
    /// (events, the BeforeReply callback) then moves to the thread pool so it cannot stall the writer.
    /// </summary>
    public async ValueTask SaveAsync(LeaseRecord lease, CancellationToken cancellationToken)
    {
        var saving = Store.SaveAsync(lease, cancellationToken);
        if (saving.IsCompleted)
        {
            await saving.ConfigureAwait(false);
            return;
        }

        await saving.ConfigureAwait(false);
        if (Events.HasSubscribers || Callbacks.BeforeReply is not null)
        {
            await Task.Yield();
        }
    }
}

/// <summary>One message type's RFC 2131 rules. Returns the reply, or null to stay silent.</summary>
internal interface IMessageHandler
{
    ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken);
}

/// <summary>DISCOVER → OFFER, the address held for the offer time (RFC 2131 §4.3.1).</summary>
internal sealed class DiscoverHandler(EngineServices services) : IMessageHandler
{
    private const int ProbeAttempts = 3;

    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var link = context.Subnet!.Link;
        IPv4Address? preferred = services.Callbacks.SelectAddress is { } select
            ? await select(context, cancellationToken).ConfigureAwait(false)
            : null;
        var requested = preferred ?? context.RequestedAddress;
        for (int attempt = 0; attempt < ProbeAttempts; attempt++)
        {
            var decision = services.Leases.Offer(context.Client, link, context.Classes, context.Reservation?.Address, requested, context.HostName);
            if (decision.Outcome == LeaseOutcome.Exhausted)
            {
                services.Metrics.PoolExhausted();
                if (services.MayLogRequest())
                {
                    ServerLog.PoolExhausted(services.Logger, context.Client.ToString(), link.Name);
                }

                return null;
            }

            if (decision.Lease is not { } lease)
            {
                ServerLog.Dropped(services.Logger, "DISCOVER", context.Client.ToString(), decision.Reason ?? "refused");
                return null;
            }

            if (services.Options.PingCheck && services.Prober is { } prober && lease.State == LeaseState.Offered &&
                await prober.IsInUseAsync(lease.Address, services.Options.PingTimeout, cancellationToken).ConfigureAwait(false))
            {
                ServerLog.AddressInUse(services.Logger, lease.Address, context.Client.ToString());
                await services.SaveAsync(services.Leases.Quarantine(lease.Address, "ping"), cancellationToken).ConfigureAwait(false);
                requested = null;
                continue;
            }

            context.Lease = lease;
            services.Metrics.LeaseChange("offered");
            services.Events.RaiseOffered(lease, context);
            return services.Replies.Build(context, DhcpMessageType.Offer, lease.Address, services.Replies.LeaseTimeFor(context));
        }

        return null;
    }
}

/// <summary>REQUEST in SELECTING, INIT-REBOOT, RENEWING or REBINDING (RFC 2131 §4.3.2).</summary>
internal sealed class RequestHandler(EngineServices services) : IMessageHandler
{
    private enum ClientState
    {
        Selecting,
        InitReboot,
        RenewingOrRebinding,
    }

    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        ClientState state;
        IPv4Address address;
        if (context.ServerIdentifierInRequest is { } chosen)
        {
            if (chosen != context.ServerIdentifier)
            {
                // The client took another server's offer: free ours, say nothing.
                services.Leases.Withdraw(context.Client);
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

        var previous = services.Leases.FindByAddress(address);
        var leaseTime = services.Replies.LeaseTimeFor(context);
        var decision = services.Leases.Commit(context.Client, context.Subnet!.Link, context.Classes, context.Reservation?.Address, address, leaseTime, context.HostName);
        if (decision.Lease is not { } lease)
        {
            // Authoritative servers correct clients on the wrong network or with someone else's
            // address; a non-authoritative one answers only a client that chose it.
            return state == ClientState.Selecting || services.Options.Authoritative
                ? Nak(context, decision.Reason ?? "address not available")
                : Silent(context, decision.Reason ?? "address not available");
        }

        // The ACK leaves only once the lease is durable.
        await services.SaveAsync(lease, cancellationToken).ConfigureAwait(false);
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

        return services.Replies.Build(context, DhcpMessageType.Ack, lease.Address, leaseTime);
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

/// <summary>DECLINE: the address is in use by someone else; it goes on probation (RFC 2131 §4.3.3).</summary>
internal sealed class DeclineHandler(EngineServices services) : IMessageHandler
{
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        if (context.ServerIdentifierInRequest is { } chosen && chosen != context.ServerIdentifier || context.RequestedAddress is not { } address)
        {
            return null;
        }

        var decision = services.Leases.Decline(context.Client, address);
        if (decision.Lease is { } lease)
        {
            await services.SaveAsync(lease, cancellationToken).ConfigureAwait(false);
            context.Lease = lease;
            services.Metrics.LeaseChange("declined");
            services.Events.RaiseDeclined(lease, context);
            if (services.MayLogRequest())
            {
                ServerLog.Handled(services.Logger, "DECLINE", context.Client.ToString(), context.Ingress.Name, $"{address} on probation");
            }
        }

        return null;
    }
}

/// <summary>RELEASE: the client gives its address back (RFC 2131 §4.3.4).</summary>
internal sealed class ReleaseHandler(EngineServices services) : IMessageHandler
{
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var decision = services.Leases.Release(context.Client, context.Request.ClientAddress);
        if (decision.Lease is { } lease)
        {
            await services.SaveAsync(lease, cancellationToken).ConfigureAwait(false);
            context.Lease = lease;
            services.Metrics.LeaseChange("released");
            services.Events.RaiseReleased(lease, context);
        }

        return null;
    }
}

/// <summary>INFORM: configuration only, no lease, no lease time (RFC 2131 §4.3.5).</summary>
internal sealed class InformHandler(EngineServices services) : IMessageHandler
{
    public ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DhcpMessage?>(services.Replies.Build(context, DhcpMessageType.Ack, IPv4Address.Any, leaseTime: null));
}

/// <summary>BOOTP (no option 53): reservations always, dynamic addresses when enabled; leases never expire (RFC 1534).</summary>
internal sealed class BootpHandler(EngineServices services) : IMessageHandler
{
    public async ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        var link = context.Subnet!.Link;
        var reserved = context.Reservation?.Address;
        if (reserved is null && !services.Options.DynamicBootp)
        {
            return null;
        }

        var offer = services.Leases.Offer(context.Client, link, context.Classes, reserved, null, null);
        if (offer.Lease is not { } offered)
        {
            if (offer.Outcome == LeaseOutcome.Exhausted)
            {
                services.Metrics.PoolExhausted();
            }

            return null;
        }

        var decision = services.Leases.Commit(context.Client, link, context.Classes, reserved, offered.Address, Timeout.InfiniteTimeSpan, null);
        if (decision.Lease is not { } lease)
        {
            return null;
        }

        await services.SaveAsync(lease, cancellationToken).ConfigureAwait(false);
        context.Lease = lease;
        services.Events.RaiseBound(lease, context);
        return services.Replies.Build(context, DhcpMessageType.None, lease.Address, leaseTime: null);
    }
}
