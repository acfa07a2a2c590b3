using System.Text.Json;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>One step's outcome from Scripts/dhcp_probe.py: the address offered/acked/declined (null: none).</summary>
internal sealed record ProbeResult(string Op, string? Mac, string? Address, bool Nak);

internal sealed record BarrageSummary(int Sent, int SendErrors, double Seconds, string Kinds);

/// <summary>
/// Scripts/dhcp_probe.py, run inside a client namespace: many scripted DHCP clients (one per MAC)
/// for policies real clients cannot be steered into (DECLINE, exhausting a pool), and the barrage
/// of random and mutated datagrams. Python standard library only.
/// </summary>
internal static class DhcpProbe
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Scripts", "dhcp_probe.py");

    /// <summary>
    /// Runs the steps in order ("lease,MAC", "discover,MAC[,ADDRESS]", "request,MAC,ADDRESS",
    /// "decline,MAC", "release,MAC", "sleep,S"). What each MAC was given is kept in a state file
    /// of the lab, so later runs can decline or release it.
    /// </summary>
    public static async Task<IReadOnlyList<ProbeResult>> RunAsync(NamespaceLab lab, NetworkNamespace ns, string device, params string[] steps)
    {
        var result = await ns.ExecAsync([Prerequisites.Tool("python3"), Script, "steps", device, lab.PathFor($"probe-{device}.json"), .. steps], TimeSpan.FromSeconds(30 + 4 * steps.Length));
        var results = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return new ProbeResult(
                root.GetProperty("op").GetString()!,
                root.TryGetProperty("mac", out var mac) ? mac.GetString() : null,
                root.TryGetProperty("address", out var address) ? address.GetString() : null,
                root.TryGetProperty("nak", out var nak) && nak.GetBoolean());
        }).ToList();
        foreach (var step in results)
        {
            TestLog.Write($"probe {step.Op} {step.Mac}: {step.Address ?? "nothing"}{(step.Nak ? " (NAK)" : "")}");
        }

        return results;
    }

    /// <summary>Sends at least <paramref name="count"/> datagrams to UDP port 67, for at most <paramref name="limit"/>.</summary>
    public static async Task<BarrageSummary> BarrageAsync(NetworkNamespace ns, string device, string server, int count, TimeSpan limit, int seed)
    {
        var result = await ns.ExecAsync(
            [Prerequisites.Tool("python3"), Script, "barrage", device, server, count.ToString(), limit.TotalSeconds.ToString(), seed.ToString()],
            limit + TimeSpan.FromSeconds(30));
        using var json = JsonDocument.Parse(result.Output.Trim());
        var root = json.RootElement;
        return new BarrageSummary(root.GetProperty("sent").GetInt32(), root.GetProperty("send_errors").GetInt32(), root.GetProperty("seconds").GetDouble(), root.GetProperty("kinds").GetRawText());
    }
}
