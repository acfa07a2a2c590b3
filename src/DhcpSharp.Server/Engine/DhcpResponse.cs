using System.Net;
using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Engine;

/// <summary>A reply, where it goes (RFC 2131 §4.1) and how large the client lets it be.</summary>
public sealed record DhcpResponse(DhcpMessage Reply, IPEndPoint Destination, ReplyDelivery Delivery, int MaximumMessageSize);
