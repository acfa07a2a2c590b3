using System.Diagnostics;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

internal sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>Short commands (ip, tshark …), each bounded by coreutils <c>timeout</c>.</summary>
internal static class Command
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(20);

    /// <summary>Runs to completion; with <paramref name="check"/>, a non-zero exit throws with the command's output.</summary>
    public static async Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan? limit = null, bool check = true)
    {
        using var process = new Process { StartInfo = Bounded(arguments, limit ?? DefaultLimit) };
        process.Start();
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var result = new CommandResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', arguments)}` exited with {result.ExitCode} (124 = timed out): {result.Error}{result.Output}");
        }

        return result;
    }

    public static Task<CommandResult> RunAsync(params string[] arguments) => RunAsync(arguments, null, true);

    /// <summary><c>timeout -k 3 LIMIT command…</c>: the kill-after makes even a command that ignores SIGTERM end.</summary>
    public static ProcessStartInfo Bounded(IReadOnlyList<string> arguments, TimeSpan limit)
    {
        var info = new ProcessStartInfo(Prerequisites.Tool("timeout"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-k", "3", $"{Math.Ceiling(limit.TotalSeconds)}s", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
