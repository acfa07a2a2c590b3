using DhcpSharp.Server.Engine;

namespace DhcpSharp.Server.Pipeline;

/// <summary>The library's AcceptRequest callback as a stage: false drops the request silently.</summary>
public sealed class AcceptRequestStage(Func<DhcpRequestContext, CancellationToken, ValueTask<bool>> accept) : IRequestStage<DhcpRequestContext>
{
    public async ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken) =>
        await accept(context, cancellationToken).ConfigureAwait(false) ? StageResult.Continue : StageResult.Drop("rejected by the AcceptRequest callback");
}
