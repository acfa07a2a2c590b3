using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>Short commands (ip, ss …), each bounded by coreutils <c>timeout</c>.</summary>
internal static class Command
{
    /// <summary>Runs to completion and returns stdout; a non-zero exit throws with the command's output.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        using var process = new Process { StartInfo = Bounded(arguments, TimeSpan.FromSeconds(30)) };
        process.Start();
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', arguments)}` exited with {process.ExitCode} (124 = timed out): {await error}{await output}");
        }

        return await output;
    }

    /// <summary><c>timeout -k 5 LIMIT program…</c>: nothing started here outlives its limit, even if the test process dies.</summary>
    public static ProcessStartInfo Bounded(IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var info = new ProcessStartInfo(Prerequisites.Tool("timeout"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-k");
        info.ArgumentList.Add("5");
        info.ArgumentList.Add($"{Math.Ceiling(limit.TotalSeconds)}s");
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}

/// <summary>
/// A long-running program (server, capture, QEMU, client) run as <c>timeout … program</c>. Its
/// stdout and stderr are kept for waiting on and for failure reports; stopping it signals it by
/// PID (SIGTERM, which <c>timeout</c> forwards, then SIGKILL to timeout's own process group).
/// </summary>
internal sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BackgroundProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>The exit code of <c>timeout</c>: the program's own, 124 when it ran out of time.</summary>
    public int? ExitCode { get; private set; }

    public bool HasExited => _exited.Task.IsCompleted;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public static BackgroundProcess Start(string name, TimeSpan limit, params string[] arguments)
    {
        var process = new Process { StartInfo = Command.Bounded(arguments, limit), EnableRaisingEvents = true };
        var background = new BackgroundProcess(name, process);
        process.OutputDataReceived += (_, e) => background.Append(e.Data);
        process.ErrorDataReceived += (_, e) => background.Append(e.Data);
        process.Exited += (_, _) =>
        {
            background.ExitCode = process.ExitCode;
            background._exited.TrySetResult();
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        background.Append($"$ {string.Join(' ', arguments)}");
        return background;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        await Task.WhenAny(_exited.Task, Task.Delay(limit));
        if (HasExited)
        {
            await _process.WaitForExitAsync(); // drains the output readers
        }

        return HasExited;
    }

    /// <summary>Ends the program by PID: SIGTERM (forwarded by timeout), then SIGKILL to timeout's process group.</summary>
    public async Task StopAsync()
    {
        if (HasExited)
        {
            return;
        }

        Native.Signal(_process.Id, Native.SIGTERM);
        if (!await WaitForExitAsync(TimeSpan.FromSeconds(5)))
        {
            // timeout made itself the leader of a process group that holds exactly what it started.
            Native.Signal(-_process.Id, Native.SIGKILL);
            await WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _output.AppendLine(line);
            }
        }
    }
}

internal static class Native
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>kill(2); a process that is already gone is not an error.</summary>
    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks for this one int-only call.
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
