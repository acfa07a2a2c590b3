using Microsoft.Extensions.Logging;

namespace DhcpSharp.Server.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(100, LogLevel.Information, "Listening on UDP port {Port}: {Interfaces}")]
    public static partial void Listening(ILogger logger, int port, string interfaces);

    [LoggerMessage(101, LogLevel.Debug, "Malformed datagram from {Source} on {Interface} dropped: {Error}")]
    public static partial void Malformed(ILogger logger, string source, string @interface, string error);

    [LoggerMessage(102, LogLevel.Warning, "Receive error on {Interface}: {Error}")]
    public static partial void ReceiveError(ILogger logger, string @interface, string error);

    [LoggerMessage(103, LogLevel.Warning, "Send error on {Interface}: {Error}")]
    public static partial void SendError(ILogger logger, string @interface, string error);

    [LoggerMessage(104, LogLevel.Warning, "Reply to {Client} left out options {Options}: they did not fit its maximum message size")]
    public static partial void OptionsOmitted(ILogger logger, string client, string options);

    [LoggerMessage(105, LogLevel.Error, "Handling a datagram on {Interface} failed; it is dropped")]
    public static partial void HandlingFailed(ILogger logger, Exception exception, string @interface);
}
