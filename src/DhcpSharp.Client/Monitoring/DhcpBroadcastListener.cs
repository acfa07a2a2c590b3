using System.Net.Sockets;
using System.Runtime.CompilerServices;
using DhcpSharp.Client.Transport;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Capture;

namespace DhcpSharp.Client.Monitoring;

/// <summary>
/// One DHCP/BOOTP datagram seen on the wire. <see cref="Message"/> is null when the payload is
/// not a valid message; <see cref="Error"/> says why.
/// </summary>
public sealed record ObservedDhcpMessage(DateTimeOffset Time, UdpDatagram Datagram, DhcpMessage? Message, DhcpParseError Error)
{
    public bool IsValid => Message is not null;
}

/// <summary>
/// Watches every DHCP message on an interface (node-dhcp's createBroadcastHandler, but passive):
/// an AF_PACKET socket sees frames in both directions, including unicast between other hosts
/// that reaches this port and replies to clients that have no address yet. Needs root or
/// CAP_NET_RAW. It never sends anything.
/// </summary>
public sealed class DhcpBroadcastListener : IAsyncDisposable
{
    /// <summary>67 server, 68 client, 4011 PXE boot server.</summary>
    public static IReadOnlyList<ushort> DefaultPorts { get; } = [67, 68, 4011];

    private const int MaximumFrame = 65536;

    private readonly Socket _socket;
    private readonly HashSet<ushort> _ports;
    private readonly TimeProvider _time;

    public DhcpBroadcastListener(string interfaceName, IEnumerable<ushort>? ports = null, TimeProvider? timeProvider = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("watching uses AF_PACKET sockets, which are Linux-only");
        }

        InterfaceName = interfaceName;
        _ports = [.. ports ?? DefaultPorts];
        _time = timeProvider ?? TimeProvider.System;
        int index = NetworkInterfaceInfo.GetIndex(interfaceName);
        try
        {
            _socket = LinuxSockets.OpenPacketSocket(index, LinuxSockets.EtherTypeAll);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(e.SocketErrorCode == SocketError.AccessDenied
                ? $"watching {interfaceName} needs root or CAP_NET_RAW"
                : $"cannot open a packet socket on {interfaceName}: {e.Message}", e);
        }

        try
        {
            LinuxSockets.AttachFilter(_socket, LinuxSockets.UdpPortFilter(_ports));
        }
        catch (SocketException)
        {
            // Without the kernel filter every frame comes up; the checks below still select DHCP.
        }
    }

    public string InterfaceName { get; }

    /// <summary>Observed messages until cancelled or disposed. One reader at a time.</summary>
    public async IAsyncEnumerable<ObservedDhcpMessage> ListenAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[MaximumFrame];
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                yield break;
            }

            var time = _time.GetUtcNow();
            var frame = buffer.AsSpan(0, length).ToArray();
            if (!UdpDatagramExtractor.TryExtract(UdpDatagramExtractor.LinkTypeEthernet, frame, out var datagram) ||
                !(_ports.Contains(datagram.SourcePort) || _ports.Contains(datagram.DestinationPort)))
            {
                continue;
            }

            yield return DhcpMessage.TryParse(datagram.Payload.Span, out var message, out var error)
                ? new ObservedDhcpMessage(time, datagram, message, default)
                : new ObservedDhcpMessage(time, datagram, null, error);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
