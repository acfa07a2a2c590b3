using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Per-request extension points, typed and asynchronous: node-dhcp let any setting be a function
/// of the request; here the function sees the whole request context and the reply. Each becomes
/// (or is used by) a pipeline stage. An exception from a callback drops that request (it is
/// logged and counted), never the server. Requests are handled on the transport's receive
/// thread: a callback that waits (a database, an HTTP call) must await it, not block, or the
/// requests behind it wait too.
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
