using DhcpSharp.Boot.Policy;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Boot.Proxy;

/// <summary>
/// Full mode: the DHCP engine's own OFFER/ACK carries the boot information. For PXE clients it
/// sets siaddr, the file field and option 67 but NOT option 60 "PXEClient" — with 60, EDK2
/// treats the offer as BINL and detours to port 4011. HTTPClient gets 60 "HTTPClient" + URI.
/// </summary>
public sealed class BootDecorationStage(BootPolicyHolder policy) : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    public bool RunsUserCode => policy.Current.HasCallback;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Reply is not { MessageType: DhcpMessageType.Offer or DhcpMessageType.Ack } reply || reply.YourAddress.IsAny)
        {
            return StageResult.ContinueTask;
        }

        var boot = new BootRequest(context);
        if (!boot.IsNetworkBootClient)
        {
            return StageResult.ContinueTask;
        }

        var deciding = policy.Current.DecideAsync(boot, cancellationToken);
        if (deciding.IsCompletedSuccessfully)
        {
            Decorate(context, reply, boot, deciding.Result);
            return StageResult.ContinueTask;
        }

        return DecorateAsync(context, reply, boot, deciding);
    }

    private static async ValueTask<StageResult> DecorateAsync(DhcpRequestContext context, DhcpMessage reply, BootRequest boot, ValueTask<BootAnswer?> deciding)
    {
        Decorate(context, reply, boot, await deciding.ConfigureAwait(false));
        return StageResult.Continue;
    }

    private static void Decorate(DhcpRequestContext context, DhcpMessage reply, BootRequest boot, BootAnswer? answer)
    {
        if (answer is null)
        {
            return;
        }

        if (boot.IsHttpClient)
        {
            if ((answer.HttpUrl ?? answer.BootFile) is { } uri)
            {
                reply.Options.Set(DhcpOptions.VendorClassIdentifier, "HTTPClient");
                BootReplies.SetBootFile(reply, uri, context.ServerIdentifier);
            }

            return;
        }

        if (answer.BootFile is not { } file)
        {
            return;
        }

        var nextServer = answer.NextServer ?? context.ServerIdentifier;
        reply.ServerAddress = nextServer;
        if (answer.ServerName is { } name)
        {
            reply.ServerName = name;
        }

        BootReplies.SetBootFile(reply, file, context.ServerIdentifier);
        reply.Options.Set(DhcpOptions.TftpServerName, nextServer.ToString());
    }
}
