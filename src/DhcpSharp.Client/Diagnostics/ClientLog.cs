using DhcpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Client.Diagnostics;

/// <summary>Source-generated log messages of the client. Event IDs 200 to 299; never reused.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(200, LogLevel.Debug, "Sending {Type} xid 0x{Xid:x8} to {Destination}")]
    public static partial void Sending(ILogger logger, string type, uint xid, string destination);

    [LoggerMessage(201, LogLevel.Debug, "Ignored {Type} xid 0x{Xid:x8} from {Source}: {Reason}")]
    public static partial void Ignored(ILogger logger, string type, uint xid, string source, string reason);

    [LoggerMessage(202, LogLevel.Debug, "Malformed datagram from {Source} dropped: {Error}")]
    public static partial void Malformed(ILogger logger, string source, string error);

    [LoggerMessage(203, LogLevel.Debug, "OFFER of {Address} from server {Server}")]
    public static partial void Offered(ILogger logger, IPv4Address address, IPv4Address server);

    [LoggerMessage(204, LogLevel.Information, "Lease {Change}: {Address} from server {Server}, {LeaseTime} s")]
    public static partial void LeaseChanged(ILogger logger, string change, IPv4Address address, IPv4Address server, double leaseTime);

    [LoggerMessage(205, LogLevel.Debug, "State {From} -> {To}")]
    public static partial void StateChanged(ILogger logger, DhcpClientState from, DhcpClientState to);

    [LoggerMessage(206, LogLevel.Warning, "Sending {Type} to {Destination} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, string type, string destination, string error);

    [LoggerMessage(207, LogLevel.Information, "No answer to {Type} after {Attempts} transmissions; {Fallback}")]
    public static partial void GaveUp(ILogger logger, string type, int attempts, string fallback);

    [LoggerMessage(208, LogLevel.Warning, "NAK from server {Server}: {Message}")]
    public static partial void Nak(ILogger logger, IPv4Address server, string message);

    [LoggerMessage(209, LogLevel.Error, "A LeaseChanged handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(210, LogLevel.Warning, "Receiving failed; the client no longer hears servers")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(211, LogLevel.Information, "Lease {Change}: {Address} (server {Server})")]
    public static partial void LeaseLost(ILogger logger, string change, IPv4Address address, IPv4Address server);

    [LoggerMessage(212, LogLevel.Error, "Client state machine failed in {State}")]
    public static partial void LoopFailed(ILogger logger, Exception exception, DhcpClientState state);
}
