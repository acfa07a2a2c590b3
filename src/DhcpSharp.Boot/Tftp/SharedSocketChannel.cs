using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace DhcpSharp.Boot.Tftp;

/// <summary>A transfer multiplexed on port 69 (single-port mode): the listener delivers its client's packets to an inbox.</summary>
internal sealed class SharedSocketChannel(Socket socket, IPEndPoint remote, Channel<byte[]> inbox, TimeProvider time) : ITftpChannel
{
    public ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken) =>
        new(socket.SendToAsync(packet, SocketFlags.None, remote, cancellationToken).AsTask());

    public async ValueTask<byte[]?> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new ReceiveDeadline(timeout, time, cancellationToken);
        try
        {
            return await inbox.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
