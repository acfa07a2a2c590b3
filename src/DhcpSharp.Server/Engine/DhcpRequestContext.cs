using System.Net;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Everything known about one request while the pipeline handles it: the message, where it came
/// from, who the client is, which configuration, subnet, classes and reservation apply, and the
/// reply being built. Callbacks and stages receive it whole (node-dhcp passed only the options).
/// </summary>
public sealed class DhcpRequestContext : RequestContext
{
    public DhcpRequestContext(DhcpMessage request, IngressInterface ingress, IPEndPoint source, DateTimeOffset receivedAt)
        : base(receivedAt)
    {
        Request = request ?? throw new ArgumentNullException(nameof(request));
        Ingress = ingress ?? throw new ArgumentNullException(nameof(ingress));
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Client = ClientIdentity.FromMessage(request);
        ServerIdentifier = ingress.LocalAddress;
    }

    public DhcpMessage Request { get; }

    public IngressInterface Ingress { get; }

    public IPEndPoint Source { get; }

    public ClientIdentity Client { get; }

    public DhcpMessageType MessageType => Request.MessageType;

    /// <summary>The DHCP configuration this request is handled under (one snapshot per request, even across a reload).</summary>
    public DhcpScope? Scope { get; internal set; }

    /// <summary>The subnet the request was placed in (null: not served by the DHCP engine).</summary>
    public ServedSubnet? Subnet { get; internal set; }

    public IReadOnlyList<string> Classes { get; internal set; } = [];

    public ReservationOptions? Reservation { get; internal set; }

    /// <summary>The lease decided for this request, if any.</summary>
    public LeaseRecord? Lease { get; internal set; }

    /// <summary>Option 54 this server uses in its reply; by default the receiving interface's address.</summary>
    public IPv4Address ServerIdentifier { get; set; }

    /// <summary>The reply being built; null: nothing to send (yet).</summary>
    public DhcpMessage? Reply { get; set; }

    /// <summary>Send the reply back to the request's source address and port (PXE boot-server requests) instead of by RFC 2131 §4.1.</summary>
    public bool ReplyToSource { get; set; }

    public IPv4Address? RequestedAddress =>
        Request.Options.TryGet(DhcpOptions.RequestedAddress, out var address) ? address : null;

    public IPv4Address? ServerIdentifierInRequest =>
        Request.Options.TryGet(DhcpOptions.ServerIdentifier, out var address) ? address : null;

    public string? HostName => Request.Options.TryGet(DhcpOptions.HostName, out var name) ? name : null;
}
