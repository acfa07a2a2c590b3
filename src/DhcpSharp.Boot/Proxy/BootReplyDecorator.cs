using DhcpSharp.Boot.Policy;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Engine;

namespace DhcpSharp.Boot.Proxy;

/// <summary>
/// Full mode: the DHCP server's own OFFER/ACK carries the boot information. For PXE clients it
/// sets siaddr, the file field and option 67 but NOT option 60 "PXEClient" — with 60, EDK2
/// treats the offer as BINL and detours to port 4011. HTTPClient gets 60 "HTTPClient" + URI.
/// </summary>
public static class BootReplyDecorator
{
    public static DhcpServerCallbacks Callbacks(BootPolicy policy, DhcpServerCallbacks? inner = null) => new()
    {
        AcceptRequest = inner?.AcceptRequest,
        SelectAddress = inner?.SelectAddress,
        BeforeReply = async (context, reply, cancellationToken) =>
        {
            if (reply.MessageType is DhcpMessageType.Offer or DhcpMessageType.Ack && !reply.YourAddress.IsAny)
            {
                await DecorateAsync(policy, context, reply, cancellationToken).ConfigureAwait(false);
            }

            return inner?.BeforeReply is not { } next || await next(context, reply, cancellationToken).ConfigureAwait(false);
        },
    };

    public static async ValueTask DecorateAsync(BootPolicy policy, DhcpRequestContext context, DhcpMessage reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reply);
        var boot = new BootRequest(context);
        if (!boot.IsNetworkBootClient || await policy.DecideAsync(boot, cancellationToken).ConfigureAwait(false) is not { } answer)
        {
            return;
        }

        if (boot.IsHttpClient)
        {
            if ((answer.HttpUrl ?? answer.BootFile) is { } uri)
            {
                reply.Options.Set(DhcpOptions.VendorClassIdentifier, "HTTPClient");
                ProxyDhcpServer.SetBootFile(reply, uri, context.ServerIdentifier);
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

        ProxyDhcpServer.SetBootFile(reply, file, context.ServerIdentifier);
        reply.Options.Set(DhcpOptions.TftpServerName, nextServer.ToString());
    }
}
