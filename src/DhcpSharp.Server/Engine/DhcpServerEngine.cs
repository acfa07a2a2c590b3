using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Formatting;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// The RFC 2131 server, without sockets: feed it a request context, get the reply and where it
/// goes. Unit tests drive it with a fake clock; the transport drives it from UDP sockets.
/// Requests may be handled concurrently: lease decisions are serialised inside
/// <see cref="LeaseManager"/>, and awaiting durable writes lets the store batch them.
/// </summary>
public sealed class DhcpServerEngine : IDhcpRequestHandler
{
    private readonly DhcpServerOptions _options;
    private readonly ILeaseStore _store;
    private readonly ILogger _logger;
    private readonly DhcpServerCallbacks _callbacks;
    private readonly SubnetSelector _subnets;
    private readonly ClientClassifier _classifier;
    private readonly Dictionary<DhcpMessageType, IMessageHandler> _handlers;

    public DhcpServerEngine(
        DhcpServerOptions options,
        ILeaseStore store,
        TimeProvider? time = null,
        ILogger? logger = null,
        DhcpServerCallbacks? callbacks = null,
        DhcpServerMetrics? metrics = null,
        IAddressProber? prober = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? NullLogger.Instance;
        _callbacks = callbacks ?? new DhcpServerCallbacks();
        Metrics = metrics ?? new DhcpServerMetrics();
        var plan = new AddressPlan(options);
        Leases = new LeaseManager(plan, options, time ?? TimeProvider.System);
        _subnets = new SubnetSelector(plan);
        _classifier = new ClientClassifier(options.Classes);
        var services = new EngineServices(options, Leases, store, new ReplyBuilder(options, options.Classes), Events, _callbacks, Metrics, prober ?? (options.PingCheck ? new PingAddressProber() : null), _logger);
        _handlers = new Dictionary<DhcpMessageType, IMessageHandler>
        {
            [DhcpMessageType.Discover] = new DiscoverHandler(services),
            [DhcpMessageType.Request] = new RequestHandler(services),
            [DhcpMessageType.Decline] = new DeclineHandler(services),
            [DhcpMessageType.Release] = new ReleaseHandler(services),
            [DhcpMessageType.Inform] = new InformHandler(services),
            [DhcpMessageType.None] = new BootpHandler(services),
        };
    }

    public LeaseManager Leases { get; }

    public LeaseEvents Events { get; } = new();

    public DhcpServerMetrics Metrics { get; }

    public DhcpServerOptions Options => _options;

    /// <summary>Log every request and reply decoded (like dnsmasq's log-dhcp).</summary>
    public bool TraceTransactions { get; set; }

    /// <summary>Loads the stored leases; call once before handling requests.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var records = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        int count = Leases.Load(records);
        ServerLog.LeasesLoaded(_logger, count);
    }

    /// <summary>Handles one request. Never throws for anything a client sends; null means no reply.</summary>
    public async ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var type = request.MessageType;
        Metrics.Received(type);
        if (TraceTransactions)
        {
            ServerLog.Trace(_logger, "received from", context.Source.ToString(), DhcpMessageFormatter.Format(request));
        }

        if (request.Operation != BootOperation.Request)
        {
            return Drop(context, "not a BOOTREQUEST");
        }

        if (!_handlers.TryGetValue(type, out var handler))
        {
            return Drop(context, $"{type.ToWireName()} is not handled by a server");
        }

        context.Subnet = _subnets.Select(context);
        if (context.Subnet is null)
        {
            return Drop(context, "no configured subnet for this request");
        }

        context.Classes = _classifier.Classify(request);
        context.Reservation = ReservationFinder.Find(context.Subnet.Link, request);
        context.ServerIdentifier = _options.ServerIdentifier ?? context.Ingress.LocalAddress;

        DhcpMessage? reply;
        try
        {
            if (_callbacks.AcceptRequest is { } accept && !await accept(context, cancellationToken).ConfigureAwait(false))
            {
                return Drop(context, "rejected by the AcceptRequest callback");
            }

            reply = await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
            if (reply is not null && _callbacks.BeforeReply is { } before && !await before(context, reply, cancellationToken).ConfigureAwait(false))
            {
                return Drop(context, "rejected by the BeforeReply callback");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            // A failing callback or store costs one request, never the server (node-dhcp defect 6).
            ServerLog.HandlerFailed(_logger, exception, type.ToWireName(), context.Client.ToString());
            Metrics.Drop("handler failed");
            return null;
        }

        if (reply is null)
        {
            return null;
        }

        var response = ReplyRouter.Route(context, reply);
        Metrics.Sent(reply.MessageType);
        if (TraceTransactions)
        {
            ServerLog.Trace(_logger, $"sending ({response.Delivery}) to", response.Destination.ToString(), DhcpMessageFormatter.Format(reply));
        }

        return response;
    }

    /// <summary>Whether a request falls in a subnet this engine serves (else another handler, such as a proxy, may answer).</summary>
    public bool Serves(DhcpRequestContext context) => _subnets.Select(context) is not null;

    /// <summary>Ends expired leases and raises <see cref="LeaseEvents.Expired"/> for each; run it periodically.</summary>
    public IReadOnlyList<LeaseRecord> ReclaimExpired()
    {
        var expired = Leases.ReclaimExpired();
        foreach (var lease in expired)
        {
            ServerLog.LeaseExpired(_logger, lease.Address, lease.ClientKey);
            Metrics.LeaseChange("expired");
            Events.RaiseExpired(lease);
        }

        return expired;
    }

    private DhcpResponse? Drop(DhcpRequestContext context, string reason)
    {
        Metrics.Drop(reason);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            ServerLog.Dropped(_logger, context.MessageType.ToWireName(), context.Client.ToString(), reason);
        }

        return null;
    }
}
