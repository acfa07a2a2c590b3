namespace DhcpSharp.Server.Leases;

/// <summary>Which store to open and how: a file path or a URI, the group-commit window, this server's name in the rows.</summary>
/// <param name="Location">A file path (SQLite), ":memory:", or a URI a registered factory understands (postgresql://…).</param>
/// <param name="CommitDelay">The group-commit window while writes arrive faster than one per window.</param>
/// <param name="ServerName">This server's name in the rows it writes (several servers may share a store).</param>
public sealed record LeaseStoreOptions(string Location, TimeSpan CommitDelay, string ServerName)
{
    /// <summary>The location fit for a log line: a password in a URI ("user:secret@") is replaced by "***".</summary>
    public string DisplayLocation => Redact(Location);

    public static string Redact(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        int scheme = location.IndexOf("://", StringComparison.Ordinal);
        int at = location.IndexOf('@', StringComparison.Ordinal);
        if (scheme < 0 || at < 0)
        {
            return location;
        }

        int colon = location.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? string.Concat(location.AsSpan(0, colon + 1), "***", location.AsSpan(at)) : location;
    }
}
