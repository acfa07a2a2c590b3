namespace DhcpSharp.TestSupport;

/// <summary>
/// The real daemon: <c>dotnet dhcpsharp.dll serve …</c> inside a namespace, started the way an
/// operator starts it, from the dhcpsharp.dll the suite tests.
/// </summary>
public sealed class ServerProcess
{
    /// <summary>Logged once the lease store is open and the engine built, just before the sockets are served.</summary>
    public const string StartedLine = "DHCP server started";

    /// <summary>Logged once the port-67 socket serves.</summary>
    public const string ListeningLine = "Listening on UDP port 67";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private ServerProcess(BackgroundProcess process, string leaseFile)
    {
        Process = process;
        LeaseFile = leaseFile;
    }

    public BackgroundProcess Process { get; }

    public string LeaseFile { get; }

    public string Log => Process.Output;

    /// <summary>Still running (checked through /proc, not just "timeout has not returned").</summary>
    public bool IsAlive => !Process.HasExited && ProcessTable.ChildrenOf(Process.Pid).Any(ProcessTable.IsAlive);

    /// <summary>
    /// Starts <c>serve --leases LEASEFILE ARGUMENTS…</c> (for at most <paramref name="limit"/>,
    /// default 4 minutes) and waits until it logs <paramref name="readyLine"/>; null: returns at once,
    /// for a caller that waits otherwise (e.g. for its UDP ports).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(NamespaceLab lab, NetworkNamespace ns, string leaseFile, IEnumerable<string> arguments,
        string name = "dhcpsharp serve", TimeSpan? limit = null, string? readyLine = StartedLine)
    {
        ArgumentNullException.ThrowIfNull(lab);
        string[] command = lab.Suite.DhcpSharpCommand(["serve", "--leases", leaseFile, .. arguments]);
        var process = lab.Start(ns, name, command, limit ?? TimeSpan.FromMinutes(4));
        lab.Step($"started {name}: {string.Join(' ', command.Skip(2))}");
        if (readyLine is not null && !await process.WaitForOutputAsync(o => o.Contains(readyLine, StringComparison.Ordinal), StartLimit))
        {
            Assert.Fail($"{name} did not start within {StartLimit.TotalSeconds} s (exit code {process.ExitCode?.ToString() ?? "none, still running"}):\n{process.Output}");
        }

        return new ServerProcess(process, leaseFile);
    }

    /// <summary>Writes a JSON configuration file and starts <c>serve --config FILE</c> with it.</summary>
    public static Task<ServerProcess> StartWithConfigAsync(NamespaceLab lab, NetworkNamespace ns, string json, string interfaceName, bool trace = true)
    {
        ArgumentNullException.ThrowIfNull(lab);
        string config = lab.PathFor("dhcpsharp.json");
        File.WriteAllText(config, json);
        return StartAsync(lab, ns, lab.PathFor("leases.db"), ["--config", config, "--interface", interfaceName, .. (string[])(trace ? ["--trace"] : [])]);
    }

    /// <summary>SIGKILL to the server itself: no shutdown, no final flush, like a crash or power cut.</summary>
    public async Task KillHardAsync()
    {
        Process.Signal(Signals.Kill);
        if (!await Process.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Fail("the server did not die from SIGKILL within 10 s");
        }
    }
}
