using DhcpSharp.Protocol;
using DhcpSharp.Server.Engine;

namespace DhcpSharp.Server.Pipeline;

/// <summary>The library's BeforeReply callback as a stage: the last look at a reply; false sends nothing.</summary>
public sealed class BeforeReplyStage(Func<DhcpRequestContext, DhcpMessage, CancellationToken, ValueTask<bool>> beforeReply) : IRequestStage<DhcpRequestContext>
{
    public async ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Reply is not { } reply)
        {
            return StageResult.Continue;
        }

        return await beforeReply(context, reply, cancellationToken).ConfigureAwait(false) ? StageResult.Continue : StageResult.Drop("rejected by the BeforeReply callback");
    }
}
