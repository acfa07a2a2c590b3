using DhcpSharp.Server.Engine;

namespace DhcpSharp.Server.Pipeline;

/// <summary>The built-in DHCPv4 stages, each at its <see cref="DhcpStageOrder"/> position.</summary>
public static class DhcpPipelineBuilderExtensions
{
    public static RequestPipelineBuilder<DhcpRequestContext> UseValidation(this RequestPipelineBuilder<DhcpRequestContext> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new RequestValidationStage(), DhcpStageOrder.Validation);
    }

    /// <summary>AcceptRequest and BeforeReply become stages (SelectAddress is the engine's, see <see cref="DhcpServerEngine"/>).</summary>
    public static RequestPipelineBuilder<DhcpRequestContext> UseCallbacks(this RequestPipelineBuilder<DhcpRequestContext> builder, DhcpServerCallbacks? callbacks)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (callbacks?.AcceptRequest is { } accept)
        {
            builder.Add(new AcceptRequestStage(accept), DhcpStageOrder.AcceptRequest);
        }

        if (callbacks?.BeforeReply is { } beforeReply)
        {
            builder.Add(new BeforeReplyStage(beforeReply), DhcpStageOrder.BeforeReply);
        }

        return builder;
    }

    /// <summary>Drops what no stage took charge of, counted under <paramref name="reason"/>.</summary>
    public static RequestPipelineBuilder<DhcpRequestContext> UseUnhandledDrop(this RequestPipelineBuilder<DhcpRequestContext> builder, string reason)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new UnhandledRequestStage(reason), DhcpStageOrder.Unhandled);
    }
}
