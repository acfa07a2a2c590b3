namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A network namespace this test created (name prefixed <c>dse2e-</c>). Everything the tests do
/// to interfaces happens through <c>ip -n NAME</c> or inside <c>ip netns exec NAME</c>, so the
/// host's own interfaces are never touched.
/// </summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync(string name)
    {
        await Command.RunAsync("ip", "netns", "add", name);
        var created = new NetworkNamespace(name);
        try
        {
            await created.IpAsync("link", "set", "lo", "up");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>ip -n NAME …</c></summary>
    public Task<CommandResult> IpAsync(params string[] arguments) => Command.RunAsync(["ip", "-n", Name, .. arguments]);

    /// <summary>Runs a short command inside the namespace.</summary>
    public Task<CommandResult> ExecAsync(IReadOnlyList<string> command, TimeSpan? limit = null, bool check = true) =>
        Command.RunAsync(["ip", "netns", "exec", Name, .. command], limit, check);

    /// <summary>Starts a long-running command inside the namespace.</summary>
    public BackgroundProcess Start(string name, IReadOnlyList<string> command, TimeSpan limit) =>
        BackgroundProcess.Start(name, ["ip", "netns", "exec", Name, .. command], limit);

    public Task AddAddressAsync(string device, string cidr) => IpAsync("addr", "replace", cidr, "dev", device);

    public async Task<string> MacAddressAsync(string device)
    {
        var result = await IpAsync("-br", "link", "show", "dev", device);
        return result.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
    }

    /// <summary>The namespace's UDP counters (/proc/net/snmp is per network namespace).</summary>
    public async Task<IReadOnlyDictionary<string, long>> UdpCountersAsync()
    {
        var lines = (await ExecAsync(["cat", "/proc/net/snmp"])).Output.Split('\n').Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToList();
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse);
        return names.Zip(values).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>
    /// Kills whatever still runs inside (only this test's programs can be there), then deletes the
    /// namespace, which also removes its veth ends.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var pids = await Command.RunAsync(["ip", "netns", "pids", Name], check: false);
        foreach (string pid in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            NativeMethods.Signal(int.Parse(pid), NativeMethods.SIGKILL);
        }

        await Command.RunAsync(["ip", "netns", "del", Name], check: false);
    }
}
