using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Engine;

/// <summary>INFORM: configuration only, no lease, no lease time (RFC 2131 §4.3.5).</summary>
internal sealed class InformHandler : IMessageHandler
{
    public ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DhcpMessage?>(context.Scope!.Replies.Build(context, DhcpMessageType.Ack, IPv4Address.Any, leaseTime: null));
}
