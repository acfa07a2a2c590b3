using System.Net;
using System.Net.Sockets;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Transport;

namespace DhcpSharp.Server.Tests;

/// <summary>
/// The real UDP transport on loopback: a relay-style client (giaddr 127.0.0.1) talks to the
/// server over sockets, garbage in between is counted and dropped, and the server keeps serving.
/// </summary>
public sealed class LoopbackServerTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpsharp-loopback-").FullName;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly Socket _relay = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private SqliteLeaseStore? _store;
    private DhcpUdpServer? _server;
    private Task? _running;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_running is not null)
        {
            await _running;
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _relay.Dispose();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Dora_over_real_sockets_with_malformed_packets_in_between()
    {
        var engine = await StartEngineAsync();
        var server = StartServer(engine, engine.Metrics);

        await _relay.SendToAsync(new byte[] { 1, 2, 3 }, server);
        await _relay.SendToAsync(new byte[600], server);

        var discover = Relayed(DhcpMessageType.Discover, 0x1111);
        var offer = await ExchangeAsync(discover, server);
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);
        Assert.Equal(0x1111u, offer.TransactionId);

        var request = Relayed(DhcpMessageType.Request, 0x2222);
        request.Options.Set(DhcpOptions.ServerIdentifier, IPv4Address.Parse("127.0.0.1"));
        request.Options.Set(DhcpOptions.RequestedAddress, offer.YourAddress);
        var ack = await ExchangeAsync(request, server);
        Assert.Equal(DhcpMessageType.Ack, ack.MessageType);
        Assert.Equal(offer.YourAddress, ack.YourAddress);

        Assert.Equal(2, engine.Metrics.Malformed);
        var stored = Assert.Single(await _store!.ListAsync(CancellationToken.None));
        Assert.Equal(LeaseState.Bound, stored.State);
    }

    [Fact]
    public async Task A_stalled_server_loses_datagrams_at_its_socket_counts_them_and_then_serves_again()
    {
        // The kernel receive buffer is the transport's bounded queue: while the receive thread is
        // held up, datagrams beyond it are dropped by the kernel, and the server says how many.
        var engine = await StartEngineAsync();
        using var gate = new ManualResetEventSlim(false);
        var server = StartServer(new StallingHandler(engine, gate), engine.Metrics, receiveBufferBytes: 64 * 1024);

        // A valid request first: the receive thread takes it and blocks in the handler.
        var discover = Relayed(DhcpMessageType.Discover, 0x3333);
        await _relay.SendToAsync(discover.ToArray(), server);
        await Task.Delay(200);
        var junk = new byte[300];
        for (int i = 0; i < 5000 && _server!.ReceiveDrops == 0; i++)
        {
            await _relay.SendToAsync(junk, server);
        }

        Assert.True(_server!.ReceiveDrops > 0, "no datagram was dropped at the socket although the server was stalled");
        gate.Set();

        // Same xid: the OFFER to the stalled DISCOVER or to this one, whichever comes first.
        var offer = await ExchangeAsync(discover, server);
        Assert.Equal(DhcpMessageType.Offer, offer.MessageType);

        // The junk that did fit in the buffer is then read, counted as malformed, and dropped.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (engine.Metrics.Malformed == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(engine.Metrics.Malformed > 0);
    }

    /// <summary>Blocks the receive thread on its first request until the gate opens.</summary>
    private sealed class StallingHandler(IDhcpRequestHandler inner, ManualResetEventSlim gate) : IDhcpRequestHandler
    {
        public ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
        {
            gate.Wait(TimeSpan.FromSeconds(30), cancellationToken);
            return inner.HandleAsync(context, cancellationToken);
        }
    }

    /// <summary>An engine on 127.0.0.0/8 with a pool of .100-.200 and an SQLite store in the test directory.</summary>
    private async Task<DhcpServerEngine> StartEngineAsync()
    {
        var options = new DhcpServerOptions
        {
            Subnets = [new SubnetOptions { Network = IPv4Network.Parse("127.0.0.0/8"), Pools = [new PoolOptions { First = IPv4Address.Parse("127.0.0.100"), Last = IPv4Address.Parse("127.0.0.200") }] }],
        };
        _store = await SqliteLeaseStore.OpenAsync(Path.Combine(_directory, "leases.db"), CancellationToken.None);
        var engine = new DhcpServerEngine(options, _store);
        await engine.StartAsync(CancellationToken.None);
        return engine;
    }

    /// <summary>Runs the UDP transport on a free loopback port, answering the relay socket; returns the server's endpoint.</summary>
    private IPEndPoint StartServer(IDhcpRequestHandler handler, DhcpSharp.Server.Diagnostics.DhcpServerMetrics metrics, int receiveBufferBytes = 4 * 1024 * 1024)
    {
        _relay.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int relayPort = ((IPEndPoint)_relay.LocalEndPoint!).Port;
        int serverPort = FreeUdpPort();
        var loopback = new InterfaceBinding("lo", 1, IPv4Address.Parse("127.0.0.1"), IPv4Network.Parse("127.0.0.0/8"));
        _server = new DhcpUdpServer(handler, [loopback], new DhcpUdpServerOptions { Port = serverPort, RelayPort = relayPort, BindToDevice = false, ReceiveBufferBytes = receiveBufferBytes }, metrics: metrics);
        _running = _server.RunAsync(_stop.Token);
        return new IPEndPoint(IPAddress.Loopback, serverPort);
    }

    private static DhcpMessage Relayed(DhcpMessageType type, uint xid)
    {
        var message = new DhcpMessage { TransactionId = xid, ClientHardwareAddress = [2, 0, 0, 0, 0, 1], GatewayAddress = IPv4Address.Parse("127.0.0.1"), Hops = 1 };
        message.MessageType = type;
        return message;
    }

    private async Task<DhcpMessage> ExchangeAsync(DhcpMessage request, IPEndPoint server)
    {
        await _relay.SendToAsync(request.ToArray(), server);
        var buffer = new byte[2048];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var received = await _relay.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return DhcpMessage.Parse(buffer.AsSpan(0, received.ReceivedBytes));
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
