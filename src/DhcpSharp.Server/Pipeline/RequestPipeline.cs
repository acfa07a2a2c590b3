using System.Runtime.CompilerServices;

namespace DhcpSharp.Server.Pipeline;

/// <summary>
/// Runs stages in order until one responds or drops. Stages that complete synchronously cost a
/// virtual call each and no allocation; only a stage that really waits switches the run to an
/// async continuation.
/// </summary>
public sealed class RequestPipeline<TContext>
    where TContext : RequestContext
{
    private readonly IRequestStage<TContext>[] _stages;
    private readonly bool[] _userCodeAfter;

    public RequestPipeline(IEnumerable<IRequestStage<TContext>> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        _stages = [.. stages];
        _userCodeAfter = new bool[_stages.Length];
        bool userCode = false;
        for (int i = _stages.Length - 1; i >= 0; i--)
        {
            _userCodeAfter[i] = userCode;
            userCode |= _stages[i] is not IUserCodeStage { RunsUserCode: false };
        }
    }

    public IReadOnlyList<IRequestStage<TContext>> Stages => _stages;

    /// <summary>Runs the stages; the result is the stage that stopped the run, or Continue when every stage continued.</summary>
    public ValueTask<StageResult> RunAsync(TContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (int i = 0; i < _stages.Length; i++)
        {
            context.UserCodeFollows = _userCodeAfter[i];
            var pending = _stages[i].InvokeAsync(context, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
            {
                return ContinueAsync(pending, i, context, cancellationToken);
            }

            var result = pending.Result;
            if (result.Outcome != StageOutcome.Continue)
            {
                return ValueTask.FromResult(result);
            }
        }

        return StageResult.ContinueTask;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<StageResult> ContinueAsync(ValueTask<StageResult> pending, int index, TContext context, CancellationToken cancellationToken)
    {
        var result = await pending.ConfigureAwait(false);
        for (int i = index + 1; result.Outcome == StageOutcome.Continue && i < _stages.Length; i++)
        {
            context.UserCodeFollows = _userCodeAfter[i];
            result = await _stages[i].InvokeAsync(context, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}
