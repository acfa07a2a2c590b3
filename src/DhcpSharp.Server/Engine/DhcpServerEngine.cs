using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// The RFC 2131 server, without sockets: the current configuration (<see cref="DhcpScope"/>),
/// the leases and their events, and the pipeline stages that serve a request placed in one of its
/// subnets. On its own it is a complete handler (its own pipeline: validation, its stages, the
/// callbacks); a host composes its stages with others (boot, proxyDHCP) through
/// <see cref="AddStages"/>. Unit tests drive it on a fake clock.
/// </summary>
public sealed class DhcpServerEngine : IDhcpRequestHandler
{
    private readonly ILogger _logger;
    private readonly DhcpServerMetrics _metrics;
    private readonly AllocationStage _allocation;
    private readonly DhcpPipeline _pipeline;
    private readonly Lock _reconfigureLock = new();
    private volatile DhcpScope _scope;

    public DhcpServerEngine(
        DhcpServerOptions options,
        ILeaseStore store,
        TimeProvider? time = null,
        ILogger? logger = null,
        DhcpServerCallbacks? callbacks = null,
        DhcpServerMetrics? metrics = null,
        IAddressProber? prober = null,
        LeaseEvents? events = null,
        string? serverName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? new DhcpServerMetrics();
        Events = events ?? new LeaseEvents();
        Callbacks = callbacks ?? new DhcpServerCallbacks();
        _scope = new DhcpScope(options);
        Leases = new LeaseManager(_scope.Plan, options, time ?? TimeProvider.System, store, serverName);
        var services = new EngineServices(Leases, Events, Callbacks, _metrics, prober ?? (options.PingCheck ? new PingAddressProber() : null), time ?? TimeProvider.System, _logger);
        _allocation = new AllocationStage(services);
        _pipeline = new DhcpPipeline(AddStages(new RequestPipelineBuilder<DhcpRequestContext>().UseValidation()).UseCallbacks(Callbacks).UseUnhandledDrop("no configured subnet for this request").Build(), _metrics, _logger);
    }

    /// <summary>The configuration requests are handled under now.</summary>
    public DhcpScope Scope => _scope;

    public DhcpServerOptions Options => _scope.Options;

    public LeaseManager Leases { get; }

    public LeaseEvents Events { get; }

    public DhcpServerCallbacks Callbacks { get; }

    public DhcpServerMetrics Metrics => _metrics;

    /// <summary>Log every request and reply decoded (for <see cref="HandleAsync"/>; a host sets it on its own pipeline).</summary>
    public bool TraceTransactions
    {
        get => _pipeline.TraceTransactions;
        set => _pipeline.TraceTransactions = value;
    }

    /// <summary>Loads the stored leases; call once before handling requests.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int count = await Leases.LoadAsync(cancellationToken).ConfigureAwait(false);
        ServerLog.LeasesLoaded(_logger, count);
    }

    /// <summary>
    /// Adds this engine's stages in their places: subnet selection, classification, reservations
    /// and the allocation step. Callbacks are added by <see cref="DhcpPipelineBuilderExtensions.UseCallbacks"/>.
    /// </summary>
    public RequestPipelineBuilder<DhcpRequestContext> AddStages(RequestPipelineBuilder<DhcpRequestContext> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .Add(new SubnetSelectionStage(this), DhcpStageOrder.SubnetSelection)
            .Add(new ClassificationStage(), DhcpStageOrder.Classification)
            .Add(new ReservationStage(), DhcpStageOrder.Reservation)
            .Add(_allocation, DhcpStageOrder.Allocation);
    }

    /// <summary>Handles one request through the engine's own pipeline. Never throws for anything a client sends; null means no reply.</summary>
    public ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken) =>
        _pipeline.HandleAsync(context, cancellationToken);

    /// <summary>
    /// Swaps in a new configuration. The lease manager takes the new address plan (with every
    /// active lease kept out of its pools) and the scope changes in one step: a request that
    /// started under the old plan cannot allocate from it any more and is dropped (its client
    /// retransmits). Leases, events and subscribers carry over.
    /// </summary>
    public void Reconfigure(DhcpServerOptions options)
    {
        var scope = new DhcpScope(options);
        lock (_reconfigureLock)
        {
            Leases.Reconfigure(scope.Plan, options);
            _scope = scope;
        }
    }

    /// <summary>Ends expired leases and raises <see cref="LeaseEvents.Expired"/> for each; run it periodically.</summary>
    public async ValueTask<IReadOnlyList<LeaseRecord>> ReclaimExpiredAsync(CancellationToken cancellationToken = default)
    {
        var expired = await Leases.ReclaimExpiredAsync(cancellationToken).ConfigureAwait(false);
        foreach (var lease in expired)
        {
            ServerLog.LeaseExpired(_logger, lease.Address, lease.ClientKey);
            _metrics.LeaseChange("expired");
            Events.RaiseExpired(lease);
        }

        return expired;
    }
}
