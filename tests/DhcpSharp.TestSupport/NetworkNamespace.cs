using System.Globalization;

namespace DhcpSharp.TestSupport;

/// <summary>
/// A network namespace a test created. Everything done to interfaces happens through
/// <c>ip -n NAME</c> or inside <c>ip netns exec NAME</c>, so the host's own interfaces are never touched.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private static readonly char[] Whitespace = [' ', '\t', '\n'];

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    private static string Ip => Prerequisites.Tool("ip");

    /// <summary>Creates the namespace with its loopback up.</summary>
    public static async Task<NetworkNamespace> CreateAsync(string name)
    {
        // Fails if the name exists: never adopt (and later delete) a namespace this test did not make.
        await Command.RunAsync(Ip, "netns", "add", name);
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

    /// <summary><c>ip netns exec NAME COMMAND…</c>: a command line that runs inside this namespace.</summary>
    public IReadOnlyList<string> Inside(IReadOnlyList<string> command) => [Ip, "netns", "exec", Name, .. command];

    /// <summary><c>ip -n NAME …</c></summary>
    public Task<CommandResult> IpAsync(params string[] arguments) => Command.RunAsync([Ip, "-n", Name, .. arguments]);

    /// <summary>Runs a short command inside the namespace.</summary>
    public Task<CommandResult> ExecAsync(IReadOnlyList<string> command, TimeSpan? limit = null, bool check = true) =>
        Command.RunAsync(Inside(command), limit, check);

    public Task AddAddressAsync(string device, string cidr) => IpAsync("addr", "replace", cidr, "dev", device);

    /// <summary>Replaces every IPv4 address of <paramref name="device"/> with <paramref name="cidr"/>.</summary>
    public async Task ReaddressAsync(string device, string cidr)
    {
        await IpAsync("-4", "addr", "flush", "dev", device);
        await AddAddressAsync(device, cidr);
    }

    public async Task<string> MacAddressAsync(string device) =>
        (await IpAsync("-br", "link", "show", "dev", device)).Output.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries)[2];

    /// <summary>The IPv4 addresses (CIDR) on <paramref name="device"/> now.</summary>
    public async Task<IReadOnlyList<string>> AddressesAsync(string device) =>
        [.. (await IpAsync("-4", "-br", "addr", "show", "dev", device)).Output.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries).Skip(2)];

    /// <summary>The namespace's UDP counters (/proc/net/snmp is per network namespace).</summary>
    public async Task<IReadOnlyDictionary<string, long>> UdpCountersAsync()
    {
        var lines = (await ExecAsync(["cat", "/proc/net/snmp"])).Output.Split('\n').Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToList();
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture));
        return names.Zip(values).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>Whether something listens on each UDP port inside the namespace (any address).</summary>
    public async Task<bool> ListensOnUdpAsync(IEnumerable<int> ports)
    {
        string sockets = (await ExecAsync([Prerequisites.Tool("ss"), "-Hlun"])).Output;
        var local = sockets.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 4)
            .Select(fields => fields[3])
            .ToList();
        return ports.All(p => local.Any(address => address.EndsWith($":{p}", StringComparison.Ordinal)));
    }

    /// <summary>Polls until <paramref name="process"/> listens on every UDP port; fails the test if it exits or the limit passes.</summary>
    public async Task WaitForUdpListenersAsync(BackgroundProcess process, IReadOnlyList<int> ports, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                Assert.Fail($"{process.Name} exited with {process.ExitCode} before it listened on UDP {string.Join('/', ports)}:\n{process.Output}");
            }

            if (await ListensOnUdpAsync(ports))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{process.Name} did not listen on UDP {string.Join('/', ports)} in {Name} within {limit.TotalSeconds} s:\n{process.Output}");
    }

    /// <summary>
    /// Kills whatever still runs inside (only this test's programs can be there), then deletes the
    /// namespace, which also removes its interfaces.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var pids = await Command.RunAsync([Ip, "netns", "pids", Name], check: false);
        foreach (string pid in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Signals.Send(int.Parse(pid, CultureInfo.InvariantCulture), Signals.Kill);
        }

        await Command.RunAsync([Ip, "netns", "del", Name], check: false);
    }

    public override string ToString() => Name;
}
