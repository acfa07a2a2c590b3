using System.Runtime.CompilerServices;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// The allocation step: the RFC 2131 rules of each message type, for requests placed in a subnet
/// (others pass on untouched, for the proxy or the final drop). Leaves the reply in the context
/// so that later stages (boot decoration, BeforeReply) see and may change it.
/// </summary>
internal sealed class AllocationStage : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    private readonly DiscoverHandler _discover;
    private readonly RequestHandler _request;
    private readonly DeclineHandler _decline;
    private readonly ReleaseHandler _release;
    private readonly InformHandler _inform;
    private readonly BootpHandler _bootp;

    public AllocationStage(EngineServices services)
    {
        _discover = new DiscoverHandler(services);
        _request = new RequestHandler(services);
        _decline = new DeclineHandler(services);
        _release = new ReleaseHandler(services);
        _inform = new InformHandler();
        _bootp = new BootpHandler(services);
    }

    public bool RunsUserCode => false;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        if (context.Subnet is null)
        {
            return StageResult.ContinueTask;
        }

        IMessageHandler? handler = context.MessageType switch
        {
            DhcpMessageType.Discover => _discover,
            DhcpMessageType.Request => _request,
            DhcpMessageType.Decline => _decline,
            DhcpMessageType.Release => _release,
            DhcpMessageType.Inform => _inform,
            DhcpMessageType.None => _bootp,
            _ => null,
        };
        if (handler is null)
        {
            return ValueTask.FromResult(StageResult.Drop($"{context.MessageType.ToWireName()} is not handled by a server"));
        }

        context.Handled = true;
        var pending = handler.HandleAsync(context, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            context.Reply = pending.Result;
            return StageResult.ContinueTask;
        }

        return AwaitReplyAsync(context, pending);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<StageResult> AwaitReplyAsync(DhcpRequestContext context, ValueTask<DhcpMessage?> pending)
    {
        context.Reply = await pending.ConfigureAwait(false);
        return StageResult.Continue;
    }
}
