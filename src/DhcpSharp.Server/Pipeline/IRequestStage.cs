namespace DhcpSharp.Server.Pipeline;

/// <summary>
/// One step of request handling (subnet selection, classification, allocation, boot decoration,
/// proxyDHCP, a rate limit, a user callback …). Stages run in their configured order over one
/// per-request context; each continues, responds or drops. Generic over the context so a DHCPv6
/// message can flow through a pipeline of the same shape.
/// </summary>
/// <remarks>
/// Return a completed <see cref="ValueTask{TResult}"/> when no waiting is needed: the pipeline
/// then runs without allocating. A stage that waits must await, never block: requests are
/// handled on the transport's receive thread.
/// </remarks>
public interface IRequestStage<in TContext>
    where TContext : RequestContext
{
    ValueTask<StageResult> InvokeAsync(TContext context, CancellationToken cancellationToken);
}
