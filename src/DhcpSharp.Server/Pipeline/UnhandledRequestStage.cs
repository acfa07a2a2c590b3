using DhcpSharp.Server.Engine;

namespace DhcpSharp.Server.Pipeline;

/// <summary>The end of the line: a request no stage took charge of is dropped and counted under one fixed reason.</summary>
public sealed class UnhandledRequestStage(string reason) : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    private readonly StageResult _drop = StageResult.Drop(reason);

    public bool RunsUserCode => false;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Handled ? StageResult.ContinueTask : ValueTask.FromResult(_drop);
    }
}
