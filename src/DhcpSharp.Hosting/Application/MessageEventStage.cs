using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Hosting.Application;

/// <summary>Raises the application's Message event for each request; costs one null check when nobody listens.</summary>
internal sealed class MessageEventStage(Action<DhcpRequestContext>? raise) : IRequestStage<DhcpRequestContext>
{
    public Action<DhcpRequestContext>? Raise { get; set; } = raise;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        Raise?.Invoke(context);
        return StageResult.ContinueTask;
    }
}
