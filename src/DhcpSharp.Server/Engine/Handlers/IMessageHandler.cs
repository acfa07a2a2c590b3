using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Engine;

/// <summary>One message type's RFC 2131 rules. Returns the reply, or null to stay silent.</summary>
internal interface IMessageHandler
{
    ValueTask<DhcpMessage?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken);
}
