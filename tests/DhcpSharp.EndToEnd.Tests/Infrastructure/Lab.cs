using System.Diagnostics;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One test's private network: its namespaces, veth links, programs and temporary files, all
/// torn down in reverse order on disposal — also when the test fails. Names carry this process's
/// PID and a per-test number, so runs and tests never collide:
/// namespaces <c>dse2e-PID-N-ROLE</c>, interfaces <c>dse2e-NROLE</c> (15-character kernel limit;
/// they live only inside this test's namespaces).
/// </summary>
internal sealed class Lab : IAsyncDisposable
{
    private const string Prefix = "dse2e-";
    private static int s_labs;
    private static int s_staleRemoved;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<BackgroundProcess> _processes = [];
    private readonly Stopwatch _age = Stopwatch.StartNew();

    private Lab(int number, DirectoryInfo directory)
    {
        Number = number;
        Directory = directory;
    }

    public int Number { get; }

    /// <summary>Temporary directory for lease files, hooks, captures; removed on disposal (kept with DSE2E_KEEP=1).</summary>
    public DirectoryInfo Directory { get; }

    /// <summary>Checks root and the <paramref name="programs"/> (failing the test if absent), then creates the lab.</summary>
    public static async Task<Lab> CreateAsync(params string[] programs)
    {
        Prerequisites.Require(programs);
        if (Interlocked.Exchange(ref s_staleRemoved, 1) == 0)
        {
            await RemoveStaleNamespacesAsync();
        }

        return new Lab(Interlocked.Increment(ref s_labs), System.IO.Directory.CreateTempSubdirectory(Prefix));
    }

    public string PathFor(string fileName) => Path.Combine(Directory.FullName, fileName);

    /// <summary>An interface name unique to this test: <c>dse2e-N</c> + role.</summary>
    public string Interface(string role)
    {
        string name = $"{Prefix}{Number}{role}";
        return name.Length <= 15 ? name : throw new ArgumentException($"interface name {name} is longer than 15 characters", nameof(role));
    }

    public async Task<NetworkNamespace> NamespaceAsync(string role)
    {
        var created = await NetworkNamespace.CreateAsync($"{Prefix}{Environment.ProcessId}-{Number}-{role}");
        _owned.Add(created);
        return created;
    }

    /// <summary>
    /// A veth pair created directly inside the two namespaces (never in the host's), both ends up.
    /// Returns the interface names (a side, b side).
    /// </summary>
    public async Task<(string A, string B)> LinkAsync(NetworkNamespace a, string aRole, NetworkNamespace b, string bRole, string? bMac = null)
    {
        string aName = Interface(aRole), bName = Interface(bRole);
        string[] mac = bMac is null ? [] : ["address", bMac];
        await a.IpAsync(["link", "add", aName, "type", "veth", "peer", "name", bName, .. mac, "netns", b.Name]);
        await a.IpAsync("link", "set", aName, "up");
        await b.IpAsync("link", "set", bName, "up");
        return (aName, bName);
    }

    /// <summary>
    /// The common topology: a server namespace and a client namespace joined by one veth pair;
    /// the server end gets <paramref name="serverCidr"/>, the client end no address.
    /// </summary>
    public async Task<DirectLink> DirectLinkAsync(string serverCidr, string? clientMac = null)
    {
        var server = await NamespaceAsync("srv");
        var client = await NamespaceAsync("cli");
        var (serverDevice, clientDevice) = await LinkAsync(server, "s0", client, "c0", clientMac);
        await server.AddAddressAsync(serverDevice, serverCidr);
        return new DirectLink(server, serverDevice, client, clientDevice);
    }

    /// <summary>Starts a long-running program in <paramref name="ns"/>; the lab ends it.</summary>
    public BackgroundProcess Start(NetworkNamespace ns, string name, IReadOnlyList<string> command, TimeSpan? limit = null)
    {
        var process = ns.Start(name, command, limit ?? TimeSpan.FromMinutes(3));
        _processes.Add(process);
        _owned.Add(process);
        return process;
    }

    /// <summary>Writes an executable file (hook scripts).</summary>
    public string WriteScript(string fileName, string text)
    {
        string path = PathFor(fileName);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    public static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    public void Step(string what) => Log($"[{_age.Elapsed.TotalSeconds,6:0.0}s] {what}");

    /// <summary>Programs first (so nothing holds a namespace), then namespaces, then files; every program's output goes to the test log.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            for (int i = _owned.Count - 1; i >= 0; i--)
            {
                try
                {
                    await _owned[i].DisposeAsync();
                }
                catch (Exception e)
                {
                    Log($"cleanup: {e.Message}");
                }
            }

            foreach (var process in _processes)
            {
                const int Tail = 12_000;
                string output = process.Output;
                Log($"----- {process.Name} (exit {process.ExitCode?.ToString() ?? "?"}) -----");
                Log(output.Length > Tail ? $"[… {output.Length - Tail} characters before]\n{output[^Tail..]}" : output);
            }
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("DSE2E_KEEP") == "1")
            {
                Log($"work files kept in {Directory.FullName}");
            }
            else
            {
                Directory.Delete(recursive: true);
            }
        }
    }

    /// <summary>
    /// Namespaces left by an earlier run that was killed before it could clean up: only names of
    /// this suite whose owning process no longer exists. (Their programs end by their own timeout.)
    /// </summary>
    private static async Task RemoveStaleNamespacesAsync()
    {
        var list = await Command.RunAsync(["ip", "netns", "list"], check: false);
        foreach (string line in list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0];
            string[] parts = name.Split('-');
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && parts.Length >= 4 && int.TryParse(parts[1], out int owner) &&
                owner != Environment.ProcessId && !System.IO.Directory.Exists($"/proc/{owner}"))
            {
                await Command.RunAsync(["ip", "netns", "del", name], check: false);
            }
        }
    }
}

internal sealed record DirectLink(NetworkNamespace Server, string ServerDevice, NetworkNamespace Client, string ClientDevice);
