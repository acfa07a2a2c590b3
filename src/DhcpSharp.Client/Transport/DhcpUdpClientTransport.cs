using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using DhcpSharp.Sockets;

namespace DhcpSharp.Client.Transport;

/// <summary>
/// The client's real transport on Linux: one UDP socket bound to 0.0.0.0:68 and pinned to the
/// interface (SO_BINDTODEVICE), with SO_BROADCAST. It works on an interface that has no address
/// yet: broadcasts leave from 0.0.0.0 through that interface.
/// </summary>
/// <remarks>
/// Two kernel facts shape how it is used (both checked in network namespaces):
/// <list type="bullet">
/// <item>Linux drops a unicast IP datagram for an address the host does not have, so a reply
/// unicast to yiaddr never reaches this socket before the address is configured. The client
/// therefore sets the BROADCAST flag (<see cref="DhcpClientOptions.RequestBroadcastReplies"/>),
/// as RFC 2131 §4.1 prescribes for such clients.</item>
/// <item>A unicast sent from 0.0.0.0 is dropped by the server's kernel as a martian source. So
/// while the interface has no IPv4 address, a unicast (RELEASE, a RENEWING REQUEST) is sent as a
/// broadcast instead; servers act on ciaddr and option 54, not on the destination.</item>
/// </list>
/// Renewal answers go to ciaddr by RFC 2131 §4.1 whatever the flag says, so RENEWING and
/// REBINDING succeed only once the host uses the leased address (the hook script's job); until
/// then the lease runs out and the client discovers again.
/// </remarks>
public sealed class DhcpUdpClientTransport : IDhcpClientTransport
{
    public const int ClientPort = 68;

    private const int MaximumDatagram = 4096;
    private static readonly IPEndPoint Broadcast = new(IPAddress.Broadcast, 67);

    private readonly Socket _socket;
    private readonly Func<bool> _hasAddress;

    private DhcpUdpClientTransport(Socket socket, string interfaceName, Func<bool> hasAddress)
    {
        _socket = socket;
        InterfaceName = interfaceName;
        _hasAddress = hasAddress;
    }

    public string InterfaceName { get; }

    /// <summary>Opens the socket. Needs root (or CAP_NET_BIND_SERVICE and CAP_NET_RAW).</summary>
    /// <exception cref="InvalidOperationException">The interface is missing, or the port is taken or not permitted.</exception>
    public static DhcpUdpClientTransport Open(string interfaceName, int port = ClientPort)
    {
        NetworkInterfaceInfo.Find(interfaceName);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the DHCP client transport uses SO_BINDTODEVICE, which is Linux-only");
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.EnableBroadcast = true;
            LinuxSocketOptions.BindToDevice(socket, interfaceName);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException(e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"UDP port {port} on {interfaceName} is already in use (another DHCP client, such as dhclient?)",
                SocketError.AccessDenied => $"binding UDP port {port} on {interfaceName} needs root, or CAP_NET_BIND_SERVICE and CAP_NET_RAW",
                _ => $"cannot open UDP port {port} on {interfaceName}: {e.Message}",
            }, e);
        }

        return new DhcpUdpClientTransport(socket, interfaceName, () => NetworkInterfaceInfo.HasIPv4Address(interfaceName));
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.Address.Equals(IPAddress.Broadcast) && !_hasAddress())
        {
            destination = Broadcast;
        }

        await _socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<DhcpClientDatagram> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[MaximumDatagram];
        var address = new SocketAddress(AddressFamily.InterNetwork);
        var template = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                yield break;
            }
            catch (SocketException)
            {
                // ICMP errors from earlier sends surface here; they say nothing about the next datagram.
                continue;
            }

            yield return new DhcpClientDatagram(buffer.AsSpan(0, length).ToArray(), (IPEndPoint)template.Create(address));
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
