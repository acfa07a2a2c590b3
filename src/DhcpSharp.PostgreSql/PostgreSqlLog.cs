using Microsoft.Extensions.Logging;

namespace DhcpSharp.PostgreSql;

internal static partial class PostgreSqlLog
{
    [LoggerMessage(602, LogLevel.Warning, "Waiting for the lease database ({Reason}); next try in {Seconds} s")]
    public static partial void Waiting(ILogger logger, string reason, double seconds);
}
