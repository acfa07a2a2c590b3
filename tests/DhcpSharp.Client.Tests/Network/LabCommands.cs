using System.Globalization;

namespace DhcpSharp.Client.Tests.Network;

/// <summary>Short setup commands (ip …) for the test labs, each bounded by <c>timeout</c>.</summary>
internal static class LabCommands
{
    /// <summary>Runs a command and returns its standard output; throws with the output when it fails.</summary>
    public static string Run(string program, params string[] arguments)
    {
        using var process = ChildProcess.Start("timeout", ["10", program, .. arguments]);
        if (!process.WaitForExit(TimeSpan.FromSeconds(15)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{process.Output}");
        }

        return string.Join('\n', process.StandardOutput);
    }

    /// <summary>Cleanup: a failure is not worth failing the test for.</summary>
    public static void TryRun(string program, params string[] arguments)
    {
        try
        {
            Run(program, arguments);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Namespaces <c>PREFIX-PID-N-ROLE</c> left by a killed test run: their PID names no live process.</summary>
    public static void RemoveStaleNamespaces(string prefix)
    {
        if (!Directory.Exists("/run/netns"))
        {
            return;
        }

        foreach (var path in Directory.GetFiles("/run/netns", prefix + "-*"))
        {
            var parts = Path.GetFileName(path).Split('-');
            if (parts.Length == 4 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                TryRun("ip", "netns", "del", Path.GetFileName(path));
            }
        }
    }
}
