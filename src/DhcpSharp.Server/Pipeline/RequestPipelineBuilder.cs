namespace DhcpSharp.Server.Pipeline;

/// <summary>
/// Collects stages with an order value and builds the pipeline sorted by it (stable: equal
/// orders keep the order they were added in). Well-known positions are constants such as
/// <see cref="DhcpStageOrder"/>, so a stage can be placed relative to the built-in ones
/// whatever order the parts of a program register them in.
/// </summary>
public sealed class RequestPipelineBuilder<TContext>
    where TContext : RequestContext
{
    private readonly List<(int Order, int Sequence, IRequestStage<TContext> Stage)> _stages = [];

    public RequestPipelineBuilder<TContext> Add(IRequestStage<TContext> stage, int order)
    {
        ArgumentNullException.ThrowIfNull(stage);
        _stages.Add((order, _stages.Count, stage));
        return this;
    }

    /// <summary>Removes every stage of type <typeparamref name="TStage"/> (to replace a built-in one).</summary>
    public RequestPipelineBuilder<TContext> Remove<TStage>()
        where TStage : IRequestStage<TContext>
    {
        _stages.RemoveAll(s => s.Stage is TStage);
        return this;
    }

    public bool Contains<TStage>()
        where TStage : IRequestStage<TContext> => _stages.Exists(s => s.Stage is TStage);

    public RequestPipeline<TContext> Build() =>
        new(_stages.OrderBy(s => s.Order).ThenBy(s => s.Sequence).Select(s => s.Stage));
}
