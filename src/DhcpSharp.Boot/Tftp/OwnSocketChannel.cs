using System.Net;
using System.Net.Sockets;

namespace DhcpSharp.Boot.Tftp;

/// <summary>A transfer on its own socket (its own TID, RFC 1350): packets from anyone else get error 5.</summary>
internal sealed class OwnSocketChannel(Socket socket, IPEndPoint remote, TimeProvider time) : ITftpChannel
{
    private readonly SocketAddress _from = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _remote = remote.Serialize();

    public ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken) =>
        new(socket.SendToAsync(packet, SocketFlags.None, remote, cancellationToken).AsTask());

    public async ValueTask<byte[]?> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new ReceiveDeadline(timeout, time, cancellationToken);
        while (true)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, _from, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP unreachable after the client went away; the timeout decides
            }

            if (_from.Equals(_remote))
            {
                return buffer[..length].ToArray();
            }

            // RFC 1350: a packet from another TID gets error 5 and does not disturb the transfer.
            var stranger = new IPEndPoint(IPAddress.Any, 0).Create(_from);
            await socket.SendToAsync(TftpPacket.Error(TftpErrorCode.UnknownTransferId, "unknown transfer id"), SocketFlags.None, stranger, cancellationToken).ConfigureAwait(false);
        }
    }
}
