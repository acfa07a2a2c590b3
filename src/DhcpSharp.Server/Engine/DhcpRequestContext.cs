using System.Net;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Engine;

/// <summary>Where a request came in: the interface and the server's own address on it.</summary>
public sealed record IngressInterface(string Name, int Index, IPv4Address LocalAddress, int LocalPort = 67)
{
    public static IngressInterface Loopback { get; } = new("lo", 1, IPv4Address.Parse("127.0.0.1"));
}

/// <summary>
/// Everything known about one request while it is handled: the message, where it came from,
/// who the client is, which subnet, classes and reservation apply, and the reply being built.
/// Callbacks receive it whole (node-dhcp passed only the options).
/// </summary>
public sealed class DhcpRequestContext
{
    public DhcpRequestContext(DhcpMessage request, IngressInterface ingress, IPEndPoint source, DateTimeOffset receivedAt)
    {
        Request = request ?? throw new ArgumentNullException(nameof(request));
        Ingress = ingress ?? throw new ArgumentNullException(nameof(ingress));
        Source = source ?? throw new ArgumentNullException(nameof(source));
        ReceivedAt = receivedAt;
        Client = ClientIdentity.FromMessage(request);
        ServerIdentifier = ingress.LocalAddress;
    }

    public DhcpMessage Request { get; }

    public IngressInterface Ingress { get; }

    public IPEndPoint Source { get; }

    public DateTimeOffset ReceivedAt { get; }

    public ClientIdentity Client { get; }

    public DhcpMessageType MessageType => Request.MessageType;

    /// <summary>The subnet the request was placed in (null: not served here).</summary>
    public ServedSubnet? Subnet { get; internal set; }

    public IReadOnlyList<string> Classes { get; internal set; } = [];

    public ReservationOptions? Reservation { get; internal set; }

    /// <summary>The lease decided for this request, if any.</summary>
    public LeaseRecord? Lease { get; internal set; }

    /// <summary>Option 54 this server uses in its reply; by default the receiving interface's address.</summary>
    public IPv4Address ServerIdentifier { get; set; }

    /// <summary>Free-form state for callbacks.</summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    public IPv4Address? RequestedAddress =>
        Request.Options.TryGet(Protocol.Options.DhcpOptions.RequestedAddress, out var address) ? address : null;

    public IPv4Address? ServerIdentifierInRequest =>
        Request.Options.TryGet(Protocol.Options.DhcpOptions.ServerIdentifier, out var address) ? address : null;

    public string? HostName => Request.Options.TryGet(Protocol.Options.DhcpOptions.HostName, out var name) ? name : null;
}

/// <summary>A reply and where it goes (RFC 2131 §4.1).</summary>
public sealed record DhcpResponse(DhcpMessage Reply, IPEndPoint Destination, ReplyDelivery Delivery, int MaximumMessageSize);

/// <summary>How a reply reaches the client (RFC 2131 §4.1).</summary>
public enum ReplyDelivery
{
    /// <summary>To the relay agent (giaddr), port 67.</summary>
    Relay,
    /// <summary>Unicast to an address the client already has (ciaddr), or the source of a 4011 request.</summary>
    Unicast,
    /// <summary>255.255.255.255 out of the receiving interface.</summary>
    Broadcast,
    /// <summary>Unicast to yiaddr before the client has an address: needs an ARP entry for chaddr.</summary>
    UnicastToNewAddress,
    /// <summary>Back to the request's source address and port (PXE boot-server requests on 4011).</summary>
    ToSource,
}

/// <summary>Anything that answers DHCP requests: the server engine, the proxyDHCP server, a dispatcher over both.</summary>
public interface IDhcpRequestHandler
{
    Diagnostics.DhcpServerMetrics Metrics { get; }

    ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Per-request extension points, typed and asynchronous: node-dhcp let any setting be a function
/// of the request; here the function sees the whole request context and the reply.
/// An exception from a callback drops that request (it is logged and counted), never the server.
/// The UDP transport calls the engine from its receive thread: a callback that waits (a database,
/// an HTTP call) must await it, not block, or the requests behind it wait too.
/// </summary>
public sealed class DhcpServerCallbacks
{
    /// <summary>First look at every request; return false to drop it silently.</summary>
    public Func<DhcpRequestContext, CancellationToken, ValueTask<bool>>? AcceptRequest { get; init; }

    /// <summary>Proposes the address to offer (null: let the pools decide). It must still be free and on the client's link.</summary>
    public Func<DhcpRequestContext, CancellationToken, ValueTask<IPv4Address?>>? SelectAddress { get; init; }

    /// <summary>Last look at each reply: change options, boot file, anything; return false to send nothing.</summary>
    public Func<DhcpRequestContext, DhcpMessage, CancellationToken, ValueTask<bool>>? BeforeReply { get; init; }
}

/// <summary>A lease changed; raised after the change is durable.</summary>
public sealed class LeaseEventArgs(LeaseRecord lease, DhcpRequestContext? request) : EventArgs
{
    public LeaseRecord Lease { get; } = lease;

    /// <summary>The request that caused it (null for expiry).</summary>
    public DhcpRequestContext? Request { get; } = request;
}
