namespace DhcpSharp.Server.Engine;

/// <summary>Checks whether an address already answers on the network before it is offered.</summary>
public interface IAddressProber
{
    ValueTask<bool> IsInUseAsync(Protocol.IPv4Address address, TimeSpan timeout, CancellationToken cancellationToken);
}
