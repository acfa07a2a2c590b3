using System.Diagnostics;
using System.Text;

namespace DhcpSharp.TestSupport;

/// <summary>
/// A long-running program (server, client, capture, relay, QEMU) started as <c>timeout … program</c>,
/// so nothing outlives its time limit even if the test process dies. Its output is collected as
/// it comes, both streams together and each on its own, for waiting on and for the test log.
/// Stopping it signals it by PID: SIGTERM (which <c>timeout</c> forwards), then SIGKILL to the
/// process group <c>timeout</c> leads, which holds exactly what it started.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<string> _standardOutput = [];
    private readonly List<string> _standardError = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private BackgroundProcess(string name, string commandLine, Process process)
    {
        Name = name;
        CommandLine = commandLine;
        _process = process;
    }

    public string Name { get; }

    /// <summary>The program and its arguments, without the <c>timeout</c> in front.</summary>
    public string CommandLine { get; }

    /// <summary>PID of <c>timeout</c>, which leads the process group of everything below it.</summary>
    public int Pid => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code of <c>timeout</c>: the program's own, 124 when it ran out of time, 137 when killed.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Both streams, line by line in the order they arrived.</summary>
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

    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_lock)
            {
                return [.. _standardOutput];
            }
        }
    }

    public IReadOnlyList<string> StandardError
    {
        get
        {
            lock (_lock)
            {
                return [.. _standardError];
            }
        }
    }

    /// <summary>
    /// The PID of the program itself: <c>timeout</c>'s child (<c>ip netns exec</c>, <c>env</c>,
    /// <c>unshare</c> and <c>sh -c 'exec …'</c> all exec in place, so it is the program, not a wrapper).
    /// </summary>
    public int ProgramPid
    {
        get
        {
            var children = ProcessTable.ChildrenOf(Pid);
            return children.Count > 0 ? children[0] : throw new InvalidOperationException($"{Name} has no running program (exit code {ExitCode}); output:\n{Output}");
        }
    }

    /// <summary>Starts <c>timeout -k 5 LIMIT ARGUMENTS…</c>.</summary>
    public static BackgroundProcess Start(string name, IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var process = new Process { StartInfo = Command.Bounded(arguments, limit), EnableRaisingEvents = true };
        var background = new BackgroundProcess(name, string.Join(' ', arguments), process);
        process.OutputDataReceived += (_, e) => background.Append(e.Data, background._standardOutput);
        process.ErrorDataReceived += (_, e) => background.Append(e.Data, background._standardError);
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
    /// Sends a signal to the program, not to <c>timeout</c> (which would die of SIGUSR1 and
    /// cannot pass SIGKILL on).
    /// </summary>
    public void Signal(int signal) => Signals.Send(ProgramPid, signal);

    /// <summary>Waits until all output so far satisfies <paramref name="condition"/>; false on timeout or exit.</summary>
    public async Task<bool> WaitForOutputAsync(Func<string, bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            bool exited = await ExitedAndDrainedAsync();
            if (condition(Output))
            {
                return true;
            }

            if (exited || clock.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// Waits for an output line (standard output first, then standard error) that satisfies
    /// <paramref name="predicate"/> and returns it; fails the test, naming <paramref name="what"/>,
    /// on timeout or exit.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            bool exited = await ExitedAndDrainedAsync();
            if (StandardOutput.Concat(StandardError).FirstOrDefault(predicate) is { } line)
            {
                return line;
            }

            if (exited || clock.Elapsed > limit)
            {
                Assert.Fail($"{what}: not seen within {limit.TotalSeconds} s (exit code {ExitCode?.ToString() ?? "none"})\n{Output}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>True once the program ended and its output is read; false if it still runs after <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        await Task.WhenAny(_exited.Task, Task.Delay(limit));
        return await ExitedAndDrainedAsync();
    }

    /// <summary>The exit code; fails the test if the program still runs after <paramref name="limit"/>.</summary>
    public async Task<int> WaitForExitCodeAsync(TimeSpan limit)
    {
        if (!await WaitForExitAsync(limit))
        {
            Assert.Fail($"process {Pid} ({CommandLine}) did not exit within {limit.TotalSeconds} s\n{Output}");
        }

        return ExitCode!.Value;
    }

    /// <summary>Ends the program by PID: SIGTERM (forwarded by timeout), then SIGKILL to timeout's process group.</summary>
    public async Task StopAsync()
    {
        if (HasExited)
        {
            return;
        }

        Signals.Send(Pid, Signals.Terminate);
        if (!await WaitForExitAsync(Command.KillAfter))
        {
            Signals.Send(-Pid, Signals.Kill);
            await WaitForExitAsync(Command.KillAfter);
        }
    }

    /// <summary>Stops the program; safe to call more than once (a test and its lab may both dispose it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAsync();
            _process.Dispose();
        }
    }

    /// <summary>
    /// Whether the program ended; if so, first waits (briefly: a stray grandchild could hold the
    /// pipe open) until its last output lines are read, so a final check sees them.
    /// </summary>
    private async Task<bool> ExitedAndDrainedAsync()
    {
        if (!HasExited)
        {
            return false;
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(Command.KillAfter);
        }
        catch (TimeoutException)
        {
        }

        return true;
    }

    private void Append(string? line, List<string> stream)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
            stream.Add(line);
        }
    }
}
