using DhcpSharp.Boot.Policy;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Boot.Proxy;

/// <summary>
/// A proxyDHCP server on its own, for ports 67 and 4011 beside a DHCP server it cannot change: a
/// pipeline of request validation and <see cref="ProxyDhcpStage"/> (see there for what each
/// firmware gets). A host that also serves DHCP puts the stage into its one pipeline instead.
/// </summary>
public sealed class ProxyDhcpServer : IDhcpRequestHandler
{
    public const int BootServerPort = ProxyDhcpStage.BootServerPort;

    private readonly DhcpPipeline _pipeline;

    public ProxyDhcpServer(BootPolicy policy, DhcpServerMetrics? metrics = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Metrics = metrics ?? new DhcpServerMetrics();
        var stages = new RequestPipelineBuilder<DhcpRequestContext>()
            .UseValidation()
            .Add(new ProxyDhcpStage(new BootPolicyHolder(policy)), DhcpStageOrder.ProxyDhcp)
            .Build();
        _pipeline = new DhcpPipeline(stages, Metrics, logger);
    }

    public DhcpServerMetrics Metrics { get; }

    /// <summary>Log every request and reply decoded.</summary>
    public bool TraceTransactions
    {
        get => _pipeline.TraceTransactions;
        set => _pipeline.TraceTransactions = value;
    }

    public ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken) =>
        _pipeline.HandleAsync(context, cancellationToken);
}
