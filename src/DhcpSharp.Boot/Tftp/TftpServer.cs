using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Threading.Channels;
using DhcpSharp.Boot.Files;
using DhcpSharp.Server.Transport;
using DhcpSharp.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Boot.Tftp;

/// <summary>
/// A read-only TFTP server: RFC 1350, option negotiation (2347), blksize (2348), tsize and
/// timeout (2349), windowsize (7440), block-number rollover, retransmission with backoff,
/// netascii. Transfers are async tasks (no thread each) on their own port by default, or
/// multiplexed on port 69 in single-port mode. Writes are refused.
/// </summary>
public sealed partial class TftpServer : IAsyncDisposable
{
    private readonly IBootFileProvider _files;
    private readonly TftpServerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly List<(InterfaceBinding? Binding, Socket Socket)> _listeners = [];
    private readonly Dictionary<IPEndPoint, Channel<byte[]>> _singlePortTransfers = [];
    private readonly Lock _transfersLock = new();
    private int _activeTransfers;
    private long _completed;
    private long _failed;

    public TftpServer(IBootFileProvider files, IEnumerable<InterfaceBinding>? interfaces, TftpServerOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _options = options ?? new TftpServerOptions();
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        var bindings = interfaces?.ToList() ?? [];
        if (bindings.Count == 0)
        {
            _listeners.Add((null, Open(null, IPAddress.Any)));
        }
        else
        {
            foreach (var binding in bindings)
            {
                _listeners.Add((binding, Open(binding, IPAddress.Any)));
            }
        }
    }

    public long CompletedTransfers => Interlocked.Read(ref _completed);

    public long FailedTransfers => Interlocked.Read(ref _failed);

    public int ActiveTransfers => Volatile.Read(ref _activeTransfers);

    public int Port => ((IPEndPoint)_listeners[0].Socket.LocalEndPoint!).Port;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Listening(_logger, Port, _options.SinglePort ? "single-port" : "port per transfer");
        try
        {
            await Task.WhenAll(_listeners.Select(l => ListenAsync(l.Binding, l.Socket, cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var (_, socket) in _listeners)
        {
            socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private Socket Open(InterfaceBinding? binding, IPAddress address, int? port = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (port is null)
            {
                // Only the port-69 listeners share their port (one per interface). A transfer's own
                // socket must not: Linux would hand two of them the same ephemeral port.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            if (binding is not null && _options.BindToDevice && OperatingSystem.IsLinux())
            {
                LinuxSocketOptions.BindToDevice(socket, binding.Name);
            }

            socket.Bind(new IPEndPoint(address, port ?? _options.Port));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen on TFTP port {port ?? _options.Port}{(binding is null ? "" : $" on {binding.Name}")}: {e.Message}", e);
        }
    }

    private async Task ListenAsync(InterfaceBinding? binding, Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || e is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP errors from earlier sends
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            var packet = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            if (_options.SinglePort && Deliver(remote, packet))
            {
                continue;
            }

            var opcode = TftpPacket.PeekOpcode(packet);
            if (opcode == TftpOpcode.ReadRequest)
            {
                _ = StartTransferAsync(binding, socket, received.PacketInformation, remote, packet, cancellationToken);
            }
            else if (opcode == TftpOpcode.WriteRequest)
            {
                await SendQuietlyAsync(socket, TftpPacket.Error(TftpErrorCode.AccessViolation, "writes are not allowed"), remote).ConfigureAwait(false);
            }
            else if (opcode is TftpOpcode.Ack or TftpOpcode.Data)
            {
                await SendQuietlyAsync(socket, TftpPacket.Error(TftpErrorCode.UnknownTransferId, "unknown transfer"), remote).ConfigureAwait(false);
            }
        }
    }

    private bool Deliver(IPEndPoint remote, byte[] packet)
    {
        lock (_transfersLock)
        {
            if (_singlePortTransfers.TryGetValue(remote, out var channel))
            {
                channel.Writer.TryWrite(packet);
                return true;
            }
        }

        return false;
    }

    private async Task StartTransferAsync(InterfaceBinding? binding, Socket listener, IPPacketInformation packetInfo, IPEndPoint remote, byte[] packet, CancellationToken cancellationToken)
    {
        if (!TftpPacket.TryParseRequest(packet, out var request, out var parseError))
        {
            await SendQuietlyAsync(listener, TftpPacket.Error(TftpErrorCode.IllegalOperation, parseError!), remote).ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _activeTransfers) > _options.MaximumTransfers)
        {
            Interlocked.Decrement(ref _activeTransfers);
            await SendQuietlyAsync(listener, TftpPacket.Error(TftpErrorCode.NotDefined, "server busy, try again"), remote).ConfigureAwait(false);
            return;
        }

        Socket? own = null;
        Channel<byte[]>? inbox = null;
        try
        {
            ITftpChannel channel;
            if (_options.SinglePort)
            {
                inbox = Channel.CreateUnbounded<byte[]>();
                lock (_transfersLock)
                {
                    if (!_singlePortTransfers.TryAdd(remote, inbox))
                    {
                        return; // a retransmitted RRQ for a running transfer
                    }
                }

                channel = new SharedSocketChannel(listener, remote, inbox, _time);
            }
            else
            {
                // A new port (TID) per transfer, from the address the request was sent to.
                own = Open(binding, packetInfo.Address.Equals(IPAddress.None) ? IPAddress.Any : packetInfo.Address, 0);
                channel = new OwnSocketChannel(own, remote, _time);
            }

            var transfer = new TftpTransfer(request!, remote, channel, _files, _options, BlockSizeLimit(packetInfo.Interface), _time, _logger);
            bool ok = await transfer.RunAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref ok ? ref _completed : ref _failed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or IOException)
        {
            Interlocked.Increment(ref _failed);
            TransferFailed(_logger, remote.ToString(), request!.FileName, e.Message);
        }
        finally
        {
            own?.Dispose();
            if (inbox is not null)
            {
                lock (_transfersLock)
                {
                    _singlePortTransfers.Remove(remote);
                }
            }

            Interlocked.Decrement(ref _activeTransfers);
        }
    }

    /// <summary>blksize ≤ MTU − 32 of the receiving interface (IPv4 20 + UDP 8 + TFTP 4).</summary>
    private int BlockSizeLimit(int interfaceIndex)
    {
        int limit = _options.MaximumBlockSize;
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                var ipv4 = nic.GetIPProperties().GetIPv4Properties();
                if (ipv4 is not null && ipv4.Index == interfaceIndex && ipv4.Mtu > 0)
                {
                    return Math.Clamp(ipv4.Mtu - 32, 512, limit);
                }
            }
        }
        catch (NetworkInformationException)
        {
        }

        return limit;
    }

    private static async Task SendQuietlyAsync(Socket socket, byte[] packet, IPEndPoint remote)
    {
        try
        {
            await socket.SendToAsync(packet, SocketFlags.None, remote).ConfigureAwait(false);
        }
        catch (SocketException)
        {
        }
    }

    [LoggerMessage(400, LogLevel.Information, "TFTP listening on UDP port {Port} ({Mode})")]
    private static partial void Listening(ILogger logger, int port, string mode);

    [LoggerMessage(401, LogLevel.Warning, "TFTP transfer of {File} to {Client} failed: {Error}")]
    private static partial void TransferFailed(ILogger logger, string client, string file, string error);
}
