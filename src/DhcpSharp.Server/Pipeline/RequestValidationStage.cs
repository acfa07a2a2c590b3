using DhcpSharp.Protocol;
using DhcpSharp.Server.Engine;

namespace DhcpSharp.Server.Pipeline;

/// <summary>Servers answer only BOOTREQUESTs; anything else (a reply looped back, a forged op) is dropped first.</summary>
public sealed class RequestValidationStage : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    private static readonly StageResult NotARequest = StageResult.Drop("not a BOOTREQUEST");

    public bool RunsUserCode => false;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Operation == BootOperation.Request ? StageResult.ContinueTask : ValueTask.FromResult(NotARequest);
    }
}
