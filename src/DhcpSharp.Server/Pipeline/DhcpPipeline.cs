using System.Runtime.CompilerServices;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Formatting;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Server.Pipeline;

/// <summary>
/// The DHCPv4 request handler a transport calls: runs the stages, counts what was received,
/// sent and dropped (and why), routes the reply, and keeps any failure to one request.
/// </summary>
public sealed class DhcpPipeline : IDhcpRequestHandler
{
    private readonly RequestPipeline<DhcpRequestContext> _stages;
    private readonly DhcpServerMetrics _metrics;
    private readonly ILogger _logger;

    public DhcpPipeline(RequestPipeline<DhcpRequestContext> stages, DhcpServerMetrics metrics, ILogger? logger = null)
    {
        _stages = stages ?? throw new ArgumentNullException(nameof(stages));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? NullLogger.Instance;
    }

    public IReadOnlyList<IRequestStage<DhcpRequestContext>> Stages => _stages.Stages;

    /// <summary>Log every request and reply decoded (like dnsmasq's log-dhcp).</summary>
    public bool TraceTransactions { get; set; }

    /// <summary>A stage or callback failed (the request was dropped); for the library's "error" event.</summary>
    public event EventHandler<RequestFailedEventArgs>? RequestFailed;

    public ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _metrics.Received(context.MessageType);
        if (TraceTransactions)
        {
            ServerLog.Trace(_logger, "received from", context.Source.ToString(), DhcpMessageFormatter.Format(context.Request));
        }

        ValueTask<StageResult> pending;
        try
        {
            pending = _stages.RunAsync(context, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromResult(Fail(context, exception));
        }

        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(Finish(context, pending.Result))
            : FinishAsync(context, pending, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<DhcpResponse?> FinishAsync(DhcpRequestContext context, ValueTask<StageResult> pending, CancellationToken cancellationToken)
    {
        StageResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Fail(context, exception);
        }

        return Finish(context, result);
    }

    private DhcpResponse? Finish(DhcpRequestContext context, StageResult result)
    {
        if (result.Outcome == StageOutcome.Drop)
        {
            _metrics.Drop(result.Reason ?? "dropped");
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                ServerLog.Dropped(_logger, context.MessageType.ToWireName(), context.Client.ToString(), result.Detail ?? result.Reason ?? "dropped");
            }

            return null;
        }

        if (context.Reply is not { } reply)
        {
            return null;
        }

        var response = ReplyRouter.Route(context, reply);
        _metrics.Sent(reply.MessageType);
        if (TraceTransactions)
        {
            ServerLog.Trace(_logger, $"sending ({response.Delivery}) to", response.Destination.ToString(), DhcpMessageFormatter.Format(reply));
        }

        return response;
    }

    private DhcpResponse? Fail(DhcpRequestContext context, Exception exception)
    {
        if (exception is LeaseStoreUnavailableException)
        {
            // Nothing is acknowledged without its commit; the store logs its outage once, not per request.
            _metrics.Drop("lease store unavailable");
            return null;
        }

        // A failing callback or store costs one request, never the server (node-dhcp defect 6).
        ServerLog.HandlerFailed(_logger, exception, context.MessageType.ToWireName(), context.Client.ToString());
        _metrics.Drop("handler failed");
        RequestFailed?.Invoke(this, new RequestFailedEventArgs(context, exception));
        return null;
    }
}
