using DhcpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Server.Diagnostics;

/// <summary>Source-generated log messages of the server. Event IDs are never reused.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "{Type} from {Client} on {Interface}: {Outcome}")]
    public static partial void Handled(ILogger logger, string type, string client, string @interface, string outcome);

    [LoggerMessage(2, LogLevel.Warning, "No free address for {Client} on {Link}")]
    public static partial void PoolExhausted(ILogger logger, string client, string link);

    [LoggerMessage(3, LogLevel.Debug, "Dropped {Type} from {Client}: {Reason}")]
    public static partial void Dropped(ILogger logger, string type, string client, string reason);

    [LoggerMessage(4, LogLevel.Error, "Callback {Callback} failed for {Client}; request dropped")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, string callback, string client);

    [LoggerMessage(5, LogLevel.Information, "Loaded {Count} leases from the store")]
    public static partial void LeasesLoaded(ILogger logger, int count);

    [LoggerMessage(6, LogLevel.Information, "Trace {Direction} {Endpoint}\n{Message}")]
    public static partial void Trace(ILogger logger, string direction, string endpoint, string message);

    [LoggerMessage(7, LogLevel.Warning, "{Address} answered a ping before being offered to {Client}; it is on probation")]
    public static partial void AddressInUse(ILogger logger, IPv4Address address, string client);

    [LoggerMessage(8, LogLevel.Warning, "Reply to {Client} left out options {Options}: they did not fit its maximum message size")]
    public static partial void OptionsOmitted(ILogger logger, string client, string options);

    [LoggerMessage(9, LogLevel.Information, "Lease {Address} of {Client} expired")]
    public static partial void LeaseExpired(ILogger logger, IPv4Address address, string client);

    [LoggerMessage(10, LogLevel.Error, "Handling {Type} from {Client} failed; request dropped")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string type, string client);

    [LoggerMessage(11, LogLevel.Warning, "{Count} per-request log lines were held back (more than the per-second limit); counters still include them")]
    public static partial void LinesSuppressed(ILogger logger, long count);
}
