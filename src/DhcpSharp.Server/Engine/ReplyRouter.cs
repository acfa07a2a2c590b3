using System.Net;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Where a reply goes and how big it may be, for every reply the server sends (DHCP engine and
/// proxy alike): RFC 2131 §4.1, or back to the source for PXE boot-server requests. The ports
/// come from the ingress, so the transport never rewrites a destination.
/// </summary>
public static class ReplyRouter
{
    public static DhcpResponse Route(DhcpRequestContext context, DhcpMessage reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reply);
        var request = context.Request;
        var ingress = context.Ingress;
        int maximum = request.Options.TryGet(DhcpOptions.MaximumMessageSize, out var size) ? size : DhcpMessageWriter.DefaultMaximumMessageSize;
        if (context.ReplyToSource)
        {
            // A client may send from 0.0.0.0 or port 0 (some ROMs): then its ciaddr and the client port.
            var source = context.Source;
            var destination = source.Address.Equals(IPAddress.Any) || source.Port == 0
                ? new IPEndPoint(request.ClientAddress.ToIPAddress(), source.Port == 0 ? ingress.ClientPort : source.Port)
                : source;
            return new DhcpResponse(reply, destination, ReplyDelivery.ToSource, maximum);
        }

        if (!request.GatewayAddress.IsAny)
        {
            return new DhcpResponse(reply, new IPEndPoint(request.GatewayAddress.ToIPAddress(), ingress.RelayPort), ReplyDelivery.Relay, maximum);
        }

        if (reply.MessageType == DhcpMessageType.Nak)
        {
            return Broadcast(reply, ingress, maximum);
        }

        if (!request.ClientAddress.IsAny)
        {
            return new DhcpResponse(reply, new IPEndPoint(request.ClientAddress.ToIPAddress(), ingress.ClientPort), ReplyDelivery.Unicast, maximum);
        }

        if (request.IsBroadcast || reply.IsBroadcast || reply.YourAddress.IsAny)
        {
            return Broadcast(reply, ingress, maximum);
        }

        return new DhcpResponse(reply, new IPEndPoint(reply.YourAddress.ToIPAddress(), ingress.ClientPort), ReplyDelivery.UnicastToNewAddress, maximum);
    }

    private static DhcpResponse Broadcast(DhcpMessage reply, IngressInterface ingress, int maximum) =>
        new(reply, new IPEndPoint(IPAddress.Broadcast, ingress.ClientPort), ReplyDelivery.Broadcast, maximum);
}
