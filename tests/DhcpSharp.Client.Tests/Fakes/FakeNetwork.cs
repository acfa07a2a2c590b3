using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DhcpSharp.Client.Transport;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Client.Tests.Fakes;

/// <summary>What the client sent, when (on the fake clock) and where.</summary>
internal sealed record SentMessage(DateTimeOffset Time, IPEndPoint Destination, DhcpMessage Message)
{
    public bool IsBroadcast => Destination.Address.Equals(IPAddress.Broadcast);

    public DhcpMessageType Type => Message.MessageType;

    public override string ToString() => $"{Time:HH:mm:ss.fff} {Type.ToWireName()} xid 0x{Message.TransactionId:x8} -> {Destination}";
}

/// <summary>A real server engine on the fake link, answering only while <see cref="Answers"/> says so.</summary>
internal sealed class FakeServer
{
    public FakeServer(IPv4Address address, DhcpServerOptions options, FakeTimeProvider clock)
    {
        Address = address;
        Engine = new DhcpServerEngine(options with { ServerIdentifier = address }, new MemoryLeaseStore(), clock);
        Engine.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Ingress = new IngressInterface("veth0", 2, address);
    }

    public IPv4Address Address { get; }

    public DhcpServerEngine Engine { get; }

    public IngressInterface Ingress { get; }

    /// <summary>Whether the server answers a message; default: everything.</summary>
    public Func<SentMessage, bool> Answers { get; set; } = _ => true;

    /// <summary>Requests the engine saw (answered or not).</summary>
    public List<DhcpMessage> Received { get; } = [];

    /// <summary>How the engine would have delivered each reply (the fake link delivers them all).</summary>
    public List<ReplyDelivery> Deliveries { get; } = [];

    public static DhcpServerOptions Options(string first, string last, TimeSpan? leaseTime = null) => new()
    {
        LeaseTime = leaseTime ?? TimeSpan.FromHours(1),
        Options = new OptionSet().Set(DhcpOptions.DomainNameServers, [IPv4Address.Parse("192.0.2.53")]).Set(DhcpOptions.DomainName, "example.test"),
        Subnets =
        [
            new SubnetOptions
            {
                Network = IPv4Network.Parse("192.0.2.0/24"),
                Pools = [new PoolOptions { First = IPv4Address.Parse(first), Last = IPv4Address.Parse(last) }],
                Options = new OptionSet().Set(DhcpOptions.Router, [IPv4Address.Parse("192.0.2.1")]),
            },
        ],
    };
}

/// <summary>
/// The client's side of a fake link: servers behind it are real engines; every message goes
/// through the wire format both ways. Tests can also inject datagrams or replace answers.
/// </summary>
internal sealed class FakeNetwork(FakeTimeProvider clock) : IDhcpClientTransport
{
    private readonly Channel<DhcpClientDatagram> _toClient = Channel.CreateUnbounded<DhcpClientDatagram>();
    private readonly Lock _lock = new();
    private readonly List<SentMessage> _sent = [];
    private long _delivered;

    public List<FakeServer> Servers { get; } = [];

    /// <summary>Replaces the servers' answer to a message when it returns non-null (crafted NAKs and the like).</summary>
    public Func<SentMessage, IEnumerable<DhcpMessage>?>? Intercept { get; set; }

    /// <summary>Datagrams handed to the client so far (the harness compares it with what the client took).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    public IReadOnlyList<SentMessage> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public FakeServer AddServer(string address, string first, string last, TimeSpan? leaseTime = null)
    {
        var server = new FakeServer(IPv4Address.Parse(address), FakeServer.Options(first, last, leaseTime), clock);
        Servers.Add(server);
        return server;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
    {
        Assert.Equal(67, destination.Port);
        var request = DhcpMessage.Parse(datagram.Span);
        var sent = new SentMessage(clock.GetUtcNow(), destination, request);
        lock (_lock)
        {
            _sent.Add(sent);
        }

        if (Intercept?.Invoke(sent) is { } crafted)
        {
            foreach (var reply in crafted)
            {
                Deliver(reply.ToArray(), new IPEndPoint(IPAddress.Parse("192.0.2.250"), 67));
            }

            return;
        }

        foreach (var server in Servers)
        {
            if (!sent.IsBroadcast && !destination.Address.Equals(server.Address.ToIPAddress()))
            {
                continue;
            }

            // Each server parses its own copy, as each would off the wire.
            var copy = DhcpMessage.Parse(datagram.Span);
            server.Received.Add(copy);
            if (!server.Answers(sent))
            {
                continue;
            }

            var source = new IPEndPoint(copy.ClientAddress.IsAny ? IPAddress.Any : copy.ClientAddress.ToIPAddress(), 68);
            var response = await server.Engine.HandleAsync(new DhcpRequestContext(copy, server.Ingress, source, clock.GetUtcNow()), cancellationToken);
            if (response is not null)
            {
                server.Deliveries.Add(response.Delivery);
                Deliver(response.Reply.ToArray(response.MaximumMessageSize), new IPEndPoint(server.Address.ToIPAddress(), 67));
            }
        }
    }

    /// <summary>Puts a datagram on the link for the client, as if a server had sent it.</summary>
    public void Deliver(byte[] datagram, IPEndPoint source)
    {
        // Counted before it becomes visible, so "delivered == taken" never holds with one in flight.
        Interlocked.Increment(ref _delivered);
        _toClient.Writer.TryWrite(new DhcpClientDatagram(datagram, source));
    }

    public async IAsyncEnumerable<DhcpClientDatagram> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var datagram in _toClient.Reader.ReadAllAsync(cancellationToken))
        {
            yield return datagram;
        }
    }

    public ValueTask DisposeAsync()
    {
        _toClient.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
