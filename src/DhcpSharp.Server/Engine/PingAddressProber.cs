namespace DhcpSharp.Server.Engine;

/// <summary>ICMP echo through the operating system (needs root or CAP_NET_RAW on Linux).</summary>
public sealed class PingAddressProber : IAddressProber
{
    public async ValueTask<bool> IsInUseAsync(Protocol.IPv4Address address, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var ping = new System.Net.NetworkInformation.Ping();
        try
        {
            var reply = await ping.SendPingAsync(address.ToIPAddress(), timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return reply.Status == System.Net.NetworkInformation.IPStatus.Success;
        }
        catch (System.Net.NetworkInformation.PingException)
        {
            return false;
        }
    }
}
