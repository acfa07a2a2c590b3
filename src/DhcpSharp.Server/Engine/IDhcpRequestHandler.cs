namespace DhcpSharp.Server.Engine;

/// <summary>What a transport hands each parsed request to: a DHCP pipeline.</summary>
public interface IDhcpRequestHandler
{
    /// <summary>Handles one request; null means no reply. Never throws for anything a client sends.</summary>
    ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken);
}
