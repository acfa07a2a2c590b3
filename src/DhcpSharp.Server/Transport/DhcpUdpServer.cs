using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Server.Transport;

/// <summary>UDP transport settings.</summary>
public sealed record DhcpUdpServerOptions
{
    public int Port { get; init; } = 67;

    /// <summary>Kernel receive buffer per socket: bursts (a power cut, a rack booting) must not overflow it.</summary>
    public int ReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Datagrams waiting for a worker; past this they are dropped and counted.</summary>
    public int QueueCapacity { get; init; } = 8192;

    /// <summary>Requests handled at once. Many in flight let the lease store batch its fsyncs.</summary>
    public int Workers { get; init; } = 256;

    /// <summary>Where replies to relays go (67 by RFC; other values for tests and perfdhcp -L).</summary>
    public int RelayPort { get; init; } = 67;

    /// <summary>Where replies to clients go (68 by RFC).</summary>
    public int ClientPort { get; init; } = 68;

    /// <summary>Pin each socket to its interface (SO_BINDTODEVICE, needs CAP_NET_RAW). Off only for unprivileged loopback tests.</summary>
    public bool BindToDevice { get; init; } = true;
}

/// <summary>
/// UDP transport: one socket per interface (SO_BINDTODEVICE, so the server knows where a request
/// came in and never answers elsewhere), one receive loop per socket feeding a bounded queue,
/// a fixed set of async workers, and replies sent from the listening socket itself.
/// </summary>
public sealed class DhcpUdpServer : IAsyncDisposable
{
    private const int MaximumDatagram = 4096;

    private readonly Func<IDhcpRequestHandler> _handler;
    private readonly DhcpUdpServerOptions _options;
    private readonly ILogger _logger;
    private readonly List<Listener> _listeners = [];
    private readonly Channel<Received> _queue;
    private long _queueDrops;

    /// <summary>Opens one socket per interface; <paramref name="handler"/> returns the current handler (reload swaps it).</summary>
    public DhcpUdpServer(Func<IDhcpRequestHandler> handler, IEnumerable<InterfaceBinding> interfaces, DhcpUdpServerOptions? options = null, ILogger? logger = null)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? new DhcpUdpServerOptions();
        _logger = logger ?? NullLogger.Instance;
        _queue = Channel.CreateBounded<Received>(new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleWriter = false });
        foreach (var binding in interfaces)
        {
            _listeners.Add(new Listener(binding, Open(binding, _options)));
        }

        if (_listeners.Count == 0)
        {
            throw new InvalidOperationException("no interface to listen on");
        }
    }

    public IReadOnlyList<InterfaceBinding> Interfaces => _listeners.Select(l => l.Binding).ToList();

    /// <summary>Datagrams dropped because the queue was full.</summary>
    public long QueueDrops => Interlocked.Read(ref _queueDrops);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tasks = _listeners.Select(l => ReceiveLoopAsync(l, cancellationToken))
            .Concat(Enumerable.Range(0, _options.Workers).Select(_ => WorkerAsync(cancellationToken)))
            .ToList();
        TransportLog.Listening(_logger, _options.Port, string.Join(", ", _listeners.Select(l => $"{l.Binding.Name} ({l.Binding.Address})")));
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
        {
            listener.Socket.Dispose();
        }

        return ValueTask.CompletedTask;
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

    private async Task ReceiveLoopAsync(Listener listener, CancellationToken cancellationToken)
    {
        var address = new SocketAddress(AddressFamily.InterNetwork);
        var template = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(MaximumDatagram);
            int length;
            try
            {
                length = await listener.Socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || e is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return;
            }
            catch (SocketException e)
            {
                // ICMP port unreachable from an earlier reply and the like: not fatal for a datagram socket.
                ArrayPool<byte>.Shared.Return(buffer);
                TransportLog.ReceiveError(_logger, listener.Binding.Name, e.SocketErrorCode.ToString());
                continue;
            }

            var source = (IPEndPoint)template.Create(address);
            if (!_queue.Writer.TryWrite(new Received(listener, buffer, length, source)))
            {
                ArrayPool<byte>.Shared.Return(buffer);
                Interlocked.Increment(ref _queueDrops);
                _handler().Metrics.Drop("queue full");
            }
        }
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        // ReadAsync, not ReadAllAsync: each datagram wakes one waiting worker instead of all of them.
        while (true)
        {
            Received received;
            try
            {
                received = await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                return;
            }

            try
            {
                await HandleAsync(received, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                TransportLog.SendError(_logger, received.Listener.Binding.Name, e.Message);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(received.Buffer);
            }
        }
    }

    private async Task HandleAsync(Received received, CancellationToken cancellationToken)
    {
        var handler = _handler();
        var data = received.Buffer.AsMemory(0, received.Length);
        if (!DhcpMessage.TryParse(data.Span, out var request, out var error))
        {
            handler.Metrics.MalformedPacket();
            TransportLog.Malformed(_logger, received.Source.ToString(), received.Listener.Binding.Name, error.ToString());
            return;
        }

        var binding = received.Listener.Binding;
        var context = new DhcpRequestContext(request, new IngressInterface(binding.Name, binding.Index, binding.Address, _options.Port), received.Source, DateTimeOffset.UtcNow);
        var response = await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return;
        }

        byte[] output = ArrayPool<byte>.Shared.Rent(DhcpMessageWriter.PayloadLimit(response.MaximumMessageSize));
        try
        {
            await SendAsync(received, context, response, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private async Task SendAsync(Received received, DhcpRequestContext context, DhcpResponse response, byte[] output, CancellationToken cancellationToken)
    {
        var binding = received.Listener.Binding;
        var result = DhcpMessageWriter.Write(response.Reply, output, response.MaximumMessageSize);
        if (result.OmittedOptions.Count > 0)
        {
            TransportLog.OptionsOmitted(_logger, context.Client.ToString(), string.Join(",", result.OmittedOptions));
        }

        var destination = response.Delivery switch
        {
            ReplyDelivery.ToSource => response.Destination,
            ReplyDelivery.Relay => new IPEndPoint(response.Destination.Address, _options.RelayPort),
            _ => new IPEndPoint(response.Destination.Address, _options.ClientPort),
        };
        if (response.Delivery == ReplyDelivery.UnicastToNewAddress &&
            !LinuxSocketOptions.TrySetArpEntry(received.Listener.Socket, binding.Name, response.Reply.YourAddress, response.Reply.ClientHardwareAddress))
        {
            // Without a neighbour entry the kernel would ARP for an address nobody owns yet.
            destination = new IPEndPoint(IPAddress.Broadcast, _options.ClientPort);
        }

        await received.Listener.Socket.SendToAsync(output.AsMemory(0, result.Length), SocketFlags.None, destination, cancellationToken).ConfigureAwait(false);
    }

    private sealed record Listener(InterfaceBinding Binding, Socket Socket);

    private readonly record struct Received(Listener Listener, byte[] Buffer, int Length, IPEndPoint Source);
}
