using System.Buffers;
using System.Net;
using System.Net.Sockets;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Server.Transport;

/// <summary>UDP transport settings.</summary>
public sealed record DhcpUdpServerOptions
{
    public int Port { get; init; } = 67;

    /// <summary>
    /// Kernel receive buffer per socket: the queue in front of the server. Bursts (a power cut,
    /// a rack booting) wait here; past it the kernel drops and counts (<see cref="DhcpUdpServer.ReceiveDrops"/>).
    /// </summary>
    public int ReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Where replies to relays go (67 by RFC; other values for tests and perfdhcp -L).</summary>
    public int RelayPort { get; init; } = 67;

    /// <summary>Where replies to clients go (68 by RFC).</summary>
    public int ClientPort { get; init; } = 68;

    /// <summary>Pin each socket to its interface (SO_BINDTODEVICE, needs CAP_NET_RAW). Off only for unprivileged loopback tests.</summary>
    public bool BindToDevice { get; init; } = true;
}

/// <summary>
/// UDP transport: one socket per interface (SO_BINDTODEVICE, so the server knows where a request
/// came in and never answers elsewhere), replies sent from the listening socket itself.
/// </summary>
/// <remarks>
/// Each socket has one receive thread that blocks in recvfrom and handles every request inline:
/// parse, engine, write, sendto, with no queue hand-off or thread-pool hop. A request whose
/// handling has to wait (an ACK waiting for its lease's group commit, an async callback, a ping)
/// is finished by whoever completes it (for ACKs the lease store's writer, which so sends a whole
/// batch of ACKs after one fsync) while the receive thread goes on with the next datagram.
/// The kernel receive buffer is the bounded queue; its overflow is the drop counter.
/// </remarks>
public sealed class DhcpUdpServer : IAsyncDisposable
{
    private const int MaximumDatagram = 4096;

    private readonly IDhcpRequestHandler _handler;
    private readonly DhcpUdpServerOptions _options;
    private readonly DhcpServerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<Listener> _listeners = [];
    private readonly IDisposable _dropSource;
    private int _stopping;

    /// <summary>Opens one socket per interface and hands every parsed request to <paramref name="handler"/>.</summary>
    public DhcpUdpServer(IDhcpRequestHandler handler, IEnumerable<InterfaceBinding> interfaces, DhcpUdpServerOptions? options = null, ILogger? logger = null, DhcpServerMetrics? metrics = null, TimeProvider? time = null)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? new DhcpUdpServerOptions();
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics ?? new DhcpServerMetrics();
        _time = time ?? TimeProvider.System;
        foreach (var binding in interfaces)
        {
            var ingress = new IngressInterface(binding.Name, binding.Index, binding.Address, _options.Port) { RelayPort = _options.RelayPort, ClientPort = _options.ClientPort };
            _listeners.Add(new Listener(binding, ingress, Open(binding, _options)));
        }

        if (_listeners.Count == 0)
        {
            throw new InvalidOperationException("no interface to listen on");
        }

        _dropSource = _metrics.AddSocketDropSource(() => _listeners.Select(l => (l.Binding.Name, LinuxSocketOptions.ReceiveDrops(l.Socket))));
    }

    public IReadOnlyList<InterfaceBinding> Interfaces => _listeners.Select(l => l.Binding).ToList();

    /// <summary>Datagrams the kernel dropped because a receive buffer was full (SO_MEMINFO), over all sockets.</summary>
    public long ReceiveDrops => _listeners.Sum(l => LinuxSocketOptions.ReceiveDrops(l.Socket));

    /// <summary>Receives and answers until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = _listeners.Select(listener => StartReceiveThread(listener, cancellationToken)).ToList();
        TransportLog.Listening(_logger, _options.Port, string.Join(", ", _listeners.Select(l => $"{l.Binding.Name} ({l.Binding.Address})")));
        await using (cancellationToken.Register(Stop).ConfigureAwait(false))
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the sockets. Replies still waiting for the lease store are lost after this: flush the store first.</summary>
    public ValueTask DisposeAsync()
    {
        Stop();
        foreach (var listener in _listeners)
        {
            listener.Socket.Dispose();
        }

        _dropSource.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            return;
        }

        // Shutting down the receive side wakes the thread out of recvfrom (it returns 0) but
        // leaves the socket able to send the ACKs still waiting for their commit.
        foreach (var listener in _listeners)
        {
            try
            {
                listener.Socket.Shutdown(SocketShutdown.Receive);
            }
            catch (SocketException)
            {
                // ENOTCONN for an unconnected UDP socket; Linux has still marked it shut and woken the reader.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static Socket Open(InterfaceBinding binding, DhcpUdpServerOptions options)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.EnableBroadcast = true;
            if (OperatingSystem.IsLinux())
            {
                if (options.BindToDevice)
                {
                    LinuxSocketOptions.BindToDevice(socket, binding.Name);
                }

                LinuxSocketOptions.SetReceiveBuffer(socket, options.ReceiveBufferBytes);
            }
            else
            {
                socket.ReceiveBufferSize = options.ReceiveBufferBytes;
            }

            socket.Bind(new IPEndPoint(IPAddress.Any, options.Port));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException(e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"UDP port {options.Port} on {binding.Name} is already in use (another DHCP server?)",
                SocketError.AccessDenied => $"binding UDP port {options.Port} on {binding.Name} needs root or CAP_NET_BIND_SERVICE + CAP_NET_RAW",
                _ => $"cannot listen on {binding.Name} UDP port {options.Port}: {e.Message}",
            }, e);
        }
    }

    private Task StartReceiveThread(Listener listener, CancellationToken cancellationToken)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ReceiveLoop(listener, cancellationToken);
                finished.TrySetResult();
            }
            catch (Exception e)
            {
                finished.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"dhcp-rx {listener.Binding.Name}:{_options.Port}",
        };
        thread.Start();
        return finished.Task;
    }

    private void ReceiveLoop(Listener listener, CancellationToken cancellationToken)
    {
        // Blocking calls only on this socket: one async call would switch it to non-blocking
        // mode and turn every recvfrom into an epoll round trip.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(MaximumDatagram, pinned: true);
        var address = new SocketAddress(AddressFamily.InterNetwork);
        var template = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested && Volatile.Read(ref _stopping) == 0)
        {
            int length;
            try
            {
                length = listener.Socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted or SocketError.Shutdown })
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP port unreachable from an earlier reply and the like: not fatal for a datagram socket.
                if (Volatile.Read(ref _stopping) != 0)
                {
                    return;
                }

                TransportLog.ReceiveError(_logger, listener.Binding.Name, e.SocketErrorCode.ToString());
                continue;
            }

            if (length == 0 && Volatile.Read(ref _stopping) != 0)
            {
                return;
            }

            try
            {
                Handle(listener, buffer.AsSpan(0, length), address, template, cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Nothing a client sends may stop the loop; the engine already logs its own failures.
                TransportLog.HandlingFailed(_logger, e, listener.Binding.Name);
            }
        }
    }

    private void Handle(Listener listener, ReadOnlySpan<byte> datagram, SocketAddress address, IPEndPoint template, CancellationToken cancellationToken)
    {
        if (!DhcpMessage.TryParse(datagram, out var request, out var error))
        {
            _metrics.MalformedPacket();
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                // Guarded: the arguments are formatted before the call, per datagram of a flood.
                TransportLog.Malformed(_logger, template.Create(address).ToString() ?? "?", listener.Binding.Name, error.ToString());
            }

            return;
        }

        var context = new DhcpRequestContext(request, listener.Ingress, (IPEndPoint)template.Create(address), _time.GetUtcNow());
        var pending = _handler.HandleAsync(context, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            Send(listener, context, pending.Result);
        }
        else
        {
            _ = SendWhenReadyAsync(listener, context, pending);
        }
    }

    private async Task SendWhenReadyAsync(Listener listener, DhcpRequestContext context, ValueTask<DhcpResponse?> pending)
    {
        try
        {
            // Runs on the thread that completes the request (for an ACK: the store's writer, right after its commit).
            Send(listener, context, await pending.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            TransportLog.HandlingFailed(_logger, e, listener.Binding.Name);
        }
    }

    private void Send(Listener listener, DhcpRequestContext context, DhcpResponse? response)
    {
        if (response is null)
        {
            return;
        }

        byte[] output = ArrayPool<byte>.Shared.Rent(DhcpMessageWriter.PayloadLimit(response.MaximumMessageSize));
        try
        {
            var result = DhcpMessageWriter.Write(response.Reply, output, response.MaximumMessageSize);
            if (result.OmittedOptions.Count > 0)
            {
                TransportLog.OptionsOmitted(_logger, context.Client.ToString(), string.Join(",", result.OmittedOptions));
            }

            listener.Socket.SendTo(output.AsSpan(0, result.Length), SocketFlags.None, Destination(listener, response));
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: the reply is lost, as it would be a moment later anyway.
        }
        catch (SocketException e)
        {
            TransportLog.SendError(_logger, listener.Binding.Name, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static IPEndPoint Destination(Listener listener, DhcpResponse response)
    {
        if (response.Delivery == ReplyDelivery.UnicastToNewAddress &&
            !NeighbourTable.TrySetArpEntry(listener.Socket, listener.Binding.Name, response.Reply.YourAddress, response.Reply.ClientHardwareAddress))
        {
            // Without a neighbour entry the kernel would ARP for an address nobody owns yet.
            return new IPEndPoint(IPAddress.Broadcast, response.Destination.Port);
        }

        return response.Destination;
    }

    private sealed record Listener(InterfaceBinding Binding, IngressInterface Ingress, Socket Socket);
}
