using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DhcpSharp.TestSupport;

/// <summary>What a finished command printed, and its exit code (124: it ran out of time).</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>Short commands (ip, ss, tshark …), each bounded by coreutils <c>timeout</c>.</summary>
public static class Command
{
    /// <summary>Long enough for any setup command on a loaded 2-core machine; they take milliseconds.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long <c>timeout</c> waits after its SIGTERM before SIGKILL, and how long
    /// <see cref="BackgroundProcess"/> waits for a stopped program to exit: a program that ignores
    /// SIGTERM still ends.
    /// </summary>
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);

    /// <summary>Runs to completion; with <paramref name="check"/>, a non-zero exit throws with the command's output.</summary>
    public static async Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan? limit = null, bool check = true)
    {
        using var process = new Process { StartInfo = Bounded(arguments, limit ?? DefaultLimit) };
        process.Start();
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var result = new CommandResult(process.ExitCode, await output, await error);
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', arguments)}` exited with {result.ExitCode} (124 = timed out): {result.Error}{result.Output}");
        }

        return result;
    }

    public static Task<CommandResult> RunAsync(params string[] arguments) => RunAsync(arguments, null, true);

    /// <summary>
    /// <c>timeout -k 5 LIMIT command…</c>: nothing started here outlives its limit, even if the test
    /// process dies, and the kill-after ends even a command that ignores SIGTERM.
    /// </summary>
    public static ProcessStartInfo Bounded(IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var info = new ProcessStartInfo(Prerequisites.Tool("timeout"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        string killAfter = KillAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        string seconds = Math.Ceiling(limit.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        foreach (string argument in (string[])["-k", killAfter, $"{seconds}s", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
