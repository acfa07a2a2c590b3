using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace DhcpSharp.Client.Tests.Network;

/// <summary>
/// Two network namespaces joined by a veth pair: the server side has 10.234.0.1/24, the client
/// side no address at all (a client's interface before DHCP). Every process runs under
/// <c>timeout</c> and is killed by PID on dispose; the namespaces (and with them the veth) go too.
/// </summary>
internal sealed class NetworkLab : IDisposable
{
    public const string ServerAddress = "10.234.0.1";
    public const string ServerInterface = "dsc-srv";
    public const string ClientInterface = "dsc-cli";

    private static int _counter;
    private readonly List<ChildProcess> _processes = [];

    public NetworkLab()
    {
        Prerequisites.Check();
        LabCommands.RemoveStaleNamespaces("dsclient");
        int n = Interlocked.Increment(ref _counter);
        ServerNamespace = $"dsclient-{Environment.ProcessId}-{n}-s";
        ClientNamespace = $"dsclient-{Environment.ProcessId}-{n}-c";
        Directory = System.IO.Directory.CreateTempSubdirectory("dhcpsharp-client-lab-").FullName;
        try
        {
            LabCommands.Run("ip", "netns", "add", ServerNamespace);
            LabCommands.Run("ip", "netns", "add", ClientNamespace);
            // Created inside the namespaces, so the fixed names never clash with another lab's.
            LabCommands.Run("ip", "link", "add", ServerInterface, "netns", ServerNamespace, "type", "veth", "peer", "name", ClientInterface, "netns", ClientNamespace);
            LabCommands.Run("ip", "-n", ServerNamespace, "addr", "add", $"{ServerAddress}/24", "dev", ServerInterface);
            foreach (var (ns, device) in new[] { (ServerNamespace, ServerInterface), (ClientNamespace, ClientInterface) })
            {
                LabCommands.Run("ip", "-n", ns, "link", "set", "lo", "up");
                LabCommands.Run("ip", "-n", ns, "link", "set", device, "up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string ServerNamespace { get; }

    public string ClientNamespace { get; }

    /// <summary>A private scratch directory (lease files, script output), deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The client interface's MAC, as the client in its namespace sees it.</summary>
    public string ClientMac => LabCommands.Run("ip", "-n", ClientNamespace, "-br", "link", "show", "dev", ClientInterface).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

    /// <summary>Starts <c>timeout -k 5 LIMIT ip netns exec NS program args…</c>.</summary>
    public ChildProcess Start(string ns, TimeSpan limit, string program, params string[] arguments)
    {
        var process = ChildProcess.Start("timeout", ["-k", "5", ((int)limit.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "ip", "netns", "exec", ns, program, .. arguments]);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Runs <c>dotnet dhcpsharp.dll args…</c> in a namespace.</summary>
    public ChildProcess StartDhcpSharp(string ns, TimeSpan limit, params string[] arguments) =>
        Start(ns, limit, Prerequisites.DotnetHost, [Prerequisites.DhcpSharpCli, .. arguments]);

    public void Dispose()
    {
        lock (_processes)
        {
            foreach (var process in _processes)
            {
                process.Dispose();
            }
        }

        foreach (var ns in new[] { ServerNamespace, ClientNamespace })
        {
            LabCommands.TryRun("ip", "netns", "del", ns);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A child process whose output lines are collected as they come; killed (with its children) on dispose.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    public string Output => $"stdout:\n{string.Join('\n', _stdout)}\nstderr:\n{string.Join('\n', _stderr)}";

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static ChildProcess Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._stderr.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            return false;
        }

        _process.WaitForExit(); // drains the output readers
        return true;
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"process {_process.Id} ({_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}) did not exit within {limit.TotalSeconds} s\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for an output line (either stream) that satisfies <paramref name="predicate"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            var line = _stdout.Concat(_stderr).FirstOrDefault(predicate);
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{what}: not seen within {limit.TotalSeconds} s (exit code {ExitCode?.ToString() ?? "none"})\n{Output}");
        return "";
    }

    /// <summary>Sends a signal ("TERM", "INT") by PID; <c>timeout</c> passes it on to the program it runs.</summary>
    public void Signal(string name)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}

/// <summary>What the network tests need; missing pieces fail the test with the fix in the message.</summary>
internal static class Prerequisites
{
    private static readonly string[] Programs = ["ip", "timeout", "dnsmasq", "kill"];

    public static void Check()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("The client network tests need root (network namespaces, UDP ports 67/68, packet sockets). Run them as root, e.g. `sudo scripts/test.sh`.");
        }

        var missing = Programs.Where(p => Find(p) is null).ToList();
        if (missing.Count > 0)
        {
            Assert.Fail($"The client network tests need {string.Join(", ", missing)}: install the Debian packages iproute2, coreutils, procps and dnsmasq-base (scripts/test.sh does this when run as root).");
        }

        if (!File.Exists(DhcpSharpCli))
        {
            Assert.Fail($"dhcpsharp.dll not found at \"{DhcpSharpCli}\"; build src/DhcpSharp.Cli.");
        }
    }

    /// <summary>The built dhcpsharp.dll, recorded at build time by the test project.</summary>
    public static string DhcpSharpCli { get; } =
        typeof(Prerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "DhcpSharpCli")?.Value ?? "";

    /// <summary>The dotnet host running these tests (DOTNET_HOST_PATH under dotnet test), else the one on PATH.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : Find("dotnet") ?? "dotnet";

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
