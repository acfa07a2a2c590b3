using System.Net;

namespace DhcpSharp.Client.Transport;

/// <summary>A datagram that arrived on the client port.</summary>
public readonly record struct DhcpClientDatagram(ReadOnlyMemory<byte> Data, IPEndPoint Source);

/// <summary>
/// How a <see cref="DhcpClient"/> reaches servers. The client decides what goes where; the
/// transport only moves bytes, so tests put a fake server behind it.
/// </summary>
public interface IDhcpClientTransport : IAsyncDisposable
{
    /// <summary>
    /// Sends one message to a server port: <paramref name="destination"/> is 255.255.255.255:67
    /// for a broadcast out of the client's interface, or a server's address for unicast.
    /// </summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken);

    /// <summary>Everything that arrives for the client, until cancelled or disposed. Read by one consumer.</summary>
    IAsyncEnumerable<DhcpClientDatagram> ReceiveAsync(CancellationToken cancellationToken);
}
