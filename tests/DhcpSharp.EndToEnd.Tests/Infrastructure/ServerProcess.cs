namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real daemon: <c>dotnet dhcpsharp.dll serve …</c> inside a namespace, started the way an
/// operator starts it. Ready once it logs that it started (leases loaded, sockets bound).
/// </summary>
internal sealed class ServerProcess
{
    private const string StartedLine = "DHCP server started";
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

    /// <summary>Starts <c>serve --leases LEASEFILE ARGUMENTS…</c> and waits until it is listening.</summary>
    public static async Task<ServerProcess> StartAsync(Lab lab, NetworkNamespace ns, string leaseFile, IEnumerable<string> arguments, string name = "dhcpsharp serve")
    {
        string[] command = [Prerequisites.Dotnet, Prerequisites.DhcpSharpDll, "serve", "--leases", leaseFile, .. arguments];
        var process = lab.Start(ns, name, command, TimeSpan.FromMinutes(4));
        lab.Step($"started {name}: {string.Join(' ', command.Skip(2))}");
        if (!await process.WaitForOutputAsync(o => o.Contains(StartedLine, StringComparison.Ordinal), StartLimit))
        {
            Assert.Fail($"{name} did not start within {StartLimit.TotalSeconds} s (exit code {process.ExitCode?.ToString() ?? "none, still running"}):\n{process.Output}");
        }

        return new ServerProcess(process, leaseFile);
    }

    /// <summary>Writes a JSON configuration file and starts <c>serve --config FILE</c> with it.</summary>
    public static Task<ServerProcess> StartWithConfigAsync(Lab lab, NetworkNamespace ns, string json, string interfaceName, bool trace = true)
    {
        string config = lab.PathFor("dhcpsharp.json");
        File.WriteAllText(config, json);
        return StartAsync(lab, ns, lab.PathFor("leases.db"), ["--config", config, "--interface", interfaceName, .. (string[])(trace ? ["--trace"] : [])]);
    }

    /// <summary>SIGKILL to the server itself: no shutdown, no final flush, like a crash or power cut.</summary>
    public async Task KillHardAsync()
    {
        Process.Signal(NativeMethods.SIGKILL);
        if (!await Process.WaitForExitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Fail("the server did not die from SIGKILL within 10 s");
        }
    }
}
