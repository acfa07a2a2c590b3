using System.Collections.Concurrent;
using System.Globalization;

namespace DhcpSharp.TestSupport;

/// <summary>
/// Namespaces left by an earlier run that was killed before it could clean up. Other runs (other
/// people's, other suites') share the machine, so a namespace is removed only when all of these
/// hold: its name has this suite's form <c>PREFIX-PID-N-ROLE</c>, that PID is not this process
/// and no process at all, and nothing runs inside it any more (a killed run's programs end by
/// their own timeout; the next run removes what they leave).
/// </summary>
public static class StaleNamespaces
{
    private static readonly ConcurrentDictionary<string, Task> Swept = new(StringComparer.Ordinal);

    /// <summary>Sweeps once per prefix and test process: later labs only create.</summary>
    public static Task RemoveOnceAsync(string prefix) => Swept.GetOrAdd(prefix, RemoveAsync);

    public static async Task RemoveAsync(string prefix)
    {
        string ip = Prerequisites.Tool("ip");
        var list = await Command.RunAsync([ip, "netns", "list"], check: false);
        foreach (string line in list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0]; // "NAME" or "NAME (id: 3)"
            if (!IsOfDeadOwner(prefix, name))
            {
                continue;
            }

            var inside = await Command.RunAsync([ip, "netns", "pids", name], check: false);
            if (inside.ExitCode == 0 && inside.Output.Trim().Length == 0)
            {
                await Command.RunAsync([ip, "netns", "del", name], check: false);
            }
        }
    }

    /// <summary><c>PREFIX-PID-N-ROLE</c> whose PID names no process (and is not this one).</summary>
    public static bool IsOfDeadOwner(string prefix, string name)
    {
        string[] parts = name.Split('-');
        return parts.Length >= 4
            && parts[0] == prefix
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int owner)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && owner > 0
            && owner != Environment.ProcessId
            && !ProcessTable.Exists(owner);
    }
}
