using System.Net;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Server.Tests;

/// <summary>An engine on a fake clock and an in-memory store, with helpers that speak like clients.</summary>
internal sealed class EngineHarness
{
    public static readonly IPv4Address ServerAddress = IPv4Address.Parse("192.0.2.1");
    public static readonly IngressInterface Ingress = new("veth0", 2, ServerAddress);

    private uint _xid = 0x1000;

    public EngineHarness(DhcpServerOptions? options = null, DhcpServerCallbacks? callbacks = null, ILeaseStore? store = null, IAddressProber? prober = null)
    {
        Options = options ?? DefaultOptions();
        Store = store ?? new MemoryLeaseStore();
        Engine = new DhcpServerEngine(Options, Store, Clock, callbacks: callbacks, prober: prober);
        Engine.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    public DhcpServerOptions Options { get; }

    public ILeaseStore Store { get; }

    public DhcpServerEngine Engine { get; }

    public static DhcpServerOptions DefaultOptions(string first = "192.0.2.100", string last = "192.0.2.199") => new()
    {
        LeaseTime = TimeSpan.FromHours(1),
        Options = new OptionSet().Set(DhcpOptions.DomainNameServers, [IPv4Address.Parse("192.0.2.53")]),
        Subnets =
        [
            new SubnetOptions
            {
                Network = IPv4Network.Parse("192.0.2.0/24"),
                Pools = [new PoolOptions { First = IPv4Address.Parse(first), Last = IPv4Address.Parse(last) }],
                Options = new OptionSet().Set(DhcpOptions.Router, [ServerAddress]),
            },
        ],
    };

    public static byte[] Mac(int n) => [0x52, 0x54, 0x00, 0x00, (byte)(n >> 8), (byte)n];

    public DhcpMessage NewRequest(DhcpMessageType type, byte[] mac, Action<DhcpMessage>? configure = null)
    {
        var message = new DhcpMessage { TransactionId = ++_xid, ClientHardwareAddress = mac };
        message.MessageType = type;
        configure?.Invoke(message);
        return message;
    }

    public async Task<DhcpResponse?> SendAsync(DhcpMessage request, IngressInterface? ingress = null)
    {
        // Go through the wire format, as a real request would.
        var parsed = DhcpMessage.Parse(request.ToArray(1500));
        var source = parsed.ClientAddress.IsAny ? new IPEndPoint(IPAddress.Any, 68) : new IPEndPoint(parsed.ClientAddress.ToIPAddress(), 68);
        return await Engine.HandleAsync(new DhcpRequestContext(parsed, ingress ?? Ingress, source, Clock.GetUtcNow()), CancellationToken.None);
    }

    public Task<DhcpResponse?> DiscoverAsync(byte[] mac, Action<DhcpMessage>? configure = null) =>
        SendAsync(NewRequest(DhcpMessageType.Discover, mac, configure));

    public Task<DhcpResponse?> SelectAsync(byte[] mac, IPv4Address address, IPv4Address? server = null, Action<DhcpMessage>? configure = null) =>
        SendAsync(NewRequest(DhcpMessageType.Request, mac, m =>
        {
            m.Options.Set(DhcpOptions.ServerIdentifier, server ?? ServerAddress);
            m.Options.Set(DhcpOptions.RequestedAddress, address);
            configure?.Invoke(m);
        }));

    public Task<DhcpResponse?> RenewAsync(byte[] mac, IPv4Address address, Action<DhcpMessage>? configure = null) =>
        SendAsync(NewRequest(DhcpMessageType.Request, mac, m =>
        {
            m.ClientAddress = address;
            configure?.Invoke(m);
        }));

    /// <summary>DISCOVER then REQUEST; returns the ACK.</summary>
    public async Task<DhcpMessage> ObtainAsync(byte[] mac, Action<DhcpMessage>? configure = null)
    {
        var offer = await DiscoverAsync(mac, configure);
        Assert.NotNull(offer);
        Assert.Equal(DhcpMessageType.Offer, offer.Reply.MessageType);
        var ack = await SelectAsync(mac, offer.Reply.YourAddress, configure: configure);
        Assert.NotNull(ack);
        Assert.Equal(DhcpMessageType.Ack, ack.Reply.MessageType);
        return ack.Reply;
    }
}
