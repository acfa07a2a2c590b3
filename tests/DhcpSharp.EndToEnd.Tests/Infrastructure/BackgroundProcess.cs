using System.Diagnostics;
using System.Text;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A long-running program (server, client, capture, relay) started as <c>timeout … program</c>,
/// so nothing outlives its time limit even if the test process dies. Output (stdout and stderr)
/// is collected for waiting on and for the test log. Disposal ends it by PID.
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

    /// <summary>PID of <c>timeout</c>, which leads the process group of everything below it.</summary>
    public int Pid => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code of <c>timeout</c>: the program's own, or 124 when timed out, 137 when killed.</summary>
    public int? ExitCode { get; private set; }

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

    public static BackgroundProcess Start(string name, IReadOnlyList<string> arguments, TimeSpan limit)
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
        return background;
    }

    /// <summary>
    /// The PID of the program itself: <c>timeout</c>'s child (<c>ip netns exec</c>, <c>unshare</c>
    /// and <c>sh -c 'exec …'</c> all exec in place, so it is the program, not a wrapper).
    /// </summary>
    public int ProgramPid
    {
        get
        {
            var children = ProcessTable.ChildrenOf(Pid);
            return children.Count > 0 ? children[0] : throw new InvalidOperationException($"{Name} has no running program (exit code {ExitCode}); output:\n{Output}");
        }
    }

    /// <summary>Sends a signal to the program (not to <c>timeout</c>).</summary>
    public void Signal(int signal) => NativeMethods.Signal(ProgramPid, signal);

    /// <summary>Waits until the collected output satisfies <paramref name="condition"/>; false on timeout or exit.</summary>
    public async Task<bool> WaitForOutputAsync(Func<string, bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(Output))
            {
                return true;
            }

            if (HasExited)
            {
                return condition(Output);
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return condition(Output);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        await Task.WhenAny(_exited.Task, Task.Delay(limit)).ConfigureAwait(false);
        if (HasExited)
        {
            await _process.WaitForExitAsync().ConfigureAwait(false); // drains the output readers
        }

        return HasExited;
    }

    /// <summary>SIGTERM (timeout forwards it to the program), then SIGKILL to the whole process group.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            NativeMethods.Signal(Pid, NativeMethods.SIGTERM);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false))
            {
                // timeout made itself a process-group leader; the group is exactly what it started.
                NativeMethods.Signal(-Pid, NativeMethods.SIGKILL);
                await WaitForExitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }
}
