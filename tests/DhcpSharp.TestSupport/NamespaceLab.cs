using System.Diagnostics;
using System.Globalization;

namespace DhcpSharp.TestSupport;

/// <summary>
/// One test's private network: its namespaces, veth pairs, bridges and taps, its programs and its
/// work directory, all torn down on disposal — also when the test fails: programs first (so
/// nothing holds a namespace), then namespaces (which takes their interfaces with them), then
/// files. Namespaces are <c>PREFIX-PID-N-ROLE</c> (this process's PID, a per-process lab number),
/// so runs and tests never collide and a later run can remove what a killed one left; interfaces
/// are created directly inside those namespaces, never in the machine's own.
/// </summary>
public class NamespaceLab : IAsyncDisposable
{
    private const int OutputTail = 12_000;
    private static int s_labs;

    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly List<BackgroundProcess> _processes = [];
    private readonly Lock _lock = new();
    private readonly Stopwatch _age = Stopwatch.StartNew();
    private int _stopped;
    private int _disposed;

    /// <param name="suite">Whose names, knobs and messages.</param>
    /// <param name="label">Put into the work directory's name (e.g. the scenario), or null.</param>
    protected NamespaceLab(TestSuite suite, string? label = null)
    {
        Suite = suite;
        Number = Interlocked.Increment(ref s_labs);
        Directory = System.IO.Directory.CreateTempSubdirectory(label is null ? $"{suite.NamespacePrefix}-" : $"{suite.NamespacePrefix}-{label}-").FullName;
        KeepDirectory = suite.KeepVariable is not null && Environment.GetEnvironmentVariable(suite.KeepVariable) == "1";
    }

    public TestSuite Suite { get; }

    public int Number { get; }

    /// <summary>Work directory (lease files, hooks, captures); removed on disposal unless <see cref="KeepDirectory"/>.</summary>
    public string Directory { get; }

    /// <summary>Set by the suite's keep variable, or by the test (e.g. after a failure) to keep the evidence.</summary>
    public bool KeepDirectory { get; set; }

    public IReadOnlyList<BackgroundProcess> Processes
    {
        get
        {
            lock (_lock)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>Checks root and the <paramref name="programs"/> (failing the test if absent), then creates an empty lab.</summary>
    public static Task<NamespaceLab> CreateAsync(TestSuite suite, params string[] programs) =>
        CreateLabAsync(suite, programs, null, () => new NamespaceLab(suite), null);

    /// <summary>
    /// For labs with a topology of their own: checks the prerequisites, sweeps the suite's stale
    /// namespaces (once per process), constructs, sets up; a failed set-up tears down what it built.
    /// </summary>
    protected static async Task<TLab> CreateLabAsync<TLab>(TestSuite suite, IEnumerable<string> programs, IReadOnlyDictionary<string, string>? files, Func<TLab> create, Func<TLab, Task>? setUp)
        where TLab : NamespaceLab
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(create);
        Prerequisites.Require(suite, programs, files);
        await StaleNamespaces.RemoveOnceAsync(suite.NamespacePrefix);
        var lab = create();
        try
        {
            if (setUp is not null)
            {
                await setUp(lab);
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public string PathFor(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>Writes an executable file (hook scripts) into the work directory.</summary>
    public string WriteScript(string fileName, string text)
    {
        string path = PathFor(fileName);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>An interface name unique to this lab: the suite's interface prefix, the lab number, the role.</summary>
    public string Interface(string role)
    {
        string name = $"{Suite.InterfacePrefix}{Number}{role}";
        return name.Length <= 15 ? name : throw new ArgumentException($"interface name {name} is longer than 15 characters", nameof(role));
    }

    /// <summary>A new namespace <c>PREFIX-PID-N-ROLE</c>, deleted with the lab.</summary>
    public async Task<NetworkNamespace> NamespaceAsync(string role)
    {
        var created = await NetworkNamespace.CreateAsync($"{Suite.NamespacePrefix}-{Environment.ProcessId}-{Number}-{role}");
        lock (_lock)
        {
            _namespaces.Add(created);
        }

        return created;
    }

    /// <summary>
    /// A veth pair between two of the lab's namespaces, named <see cref="Interface"/>(role) on
    /// each side; returns the interface names (a side, b side).
    /// </summary>
    public async Task<(string A, string B)> LinkAsync(NetworkNamespace a, string aRole, NetworkNamespace b, string bRole, string? bMac = null)
    {
        string aName = Interface(aRole), bName = Interface(bRole);
        await VethAsync(a, aName, b, bName, bMac);
        return (aName, bName);
    }

    /// <summary>A veth pair created inside <paramref name="a"/> with its peer moved straight into <paramref name="b"/> (never in the machine's namespace), both ends up.</summary>
    public async Task VethAsync(NetworkNamespace a, string aInterface, NetworkNamespace b, string bInterface, string? bMac = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string[] mac = bMac is null ? [] : ["address", bMac];
        await a.IpAsync(["link", "add", aInterface, "type", "veth", "peer", "name", bInterface, .. mac, "netns", b.Name]);
        await a.IpAsync("link", "set", aInterface, "up");
        await b.IpAsync("link", "set", bInterface, "up");
    }

    /// <summary>
    /// The common topology: a server namespace and a client namespace joined by one veth pair; the
    /// server end gets <paramref name="serverCidr"/>, the client end no address.
    /// </summary>
    public Task<DirectLink> DirectLinkAsync(string serverCidr, string? clientMac = null) =>
        DirectLinkAsync(serverCidr, ("srv", Interface("s0")), ("cli", Interface("c0")), clientMac);

    /// <summary>The same with chosen namespace roles and interface names.</summary>
    public async Task<DirectLink> DirectLinkAsync(string serverCidr, (string Role, string Interface) server, (string Role, string Interface) client, string? clientMac = null)
    {
        var serverNamespace = await NamespaceAsync(server.Role);
        var clientNamespace = await NamespaceAsync(client.Role);
        await VethAsync(serverNamespace, server.Interface, clientNamespace, client.Interface, clientMac);
        await serverNamespace.AddAddressAsync(server.Interface, serverCidr);
        return new DirectLink(serverNamespace, server.Interface, clientNamespace, client.Interface);
    }

    /// <summary>A bridge in <paramref name="ns"/>, up, forwarding at once (no STP, no forward delay).</summary>
    public async Task AddBridgeAsync(NetworkNamespace ns, string bridge)
    {
        ArgumentNullException.ThrowIfNull(ns);
        await ns.IpAsync("link", "add", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        await ns.IpAsync("link", "set", bridge, "up");
    }

    /// <summary>A tap (for QEMU's NIC) in <paramref name="ns"/>, a port of <paramref name="bridge"/>, up.</summary>
    public async Task AddTapAsync(NetworkNamespace ns, string tap, string bridge)
    {
        ArgumentNullException.ThrowIfNull(ns);
        await ns.ExecAsync([Prerequisites.Tool("ip"), "tuntap", "add", "dev", tap, "mode", "tap"]);
        await ns.IpAsync("link", "set", tap, "master", bridge, "up");
    }

    /// <summary>
    /// A host on a bridged segment: namespace <c>…-ROLE</c> whose <paramref name="hostInterface"/>
    /// is a veth whose peer, <paramref name="port"/>, is a port of <paramref name="bridge"/>; with
    /// <paramref name="cidr"/> as its address, or none (a DHCP client); <paramref name="mac"/> fixes its MAC.
    /// </summary>
    public async Task<NetworkNamespace> AddBridgedHostAsync(NetworkNamespace bridgeNamespace, string bridge, string role, string hostInterface, string port, string? cidr, string? mac = null)
    {
        ArgumentNullException.ThrowIfNull(bridgeNamespace);
        var host = await NamespaceAsync(role);
        await VethAsync(bridgeNamespace, port, host, hostInterface, mac);
        await bridgeNamespace.IpAsync("link", "set", port, "master", bridge);
        if (cidr is not null)
        {
            await host.AddAddressAsync(hostInterface, cidr);
        }

        return host;
    }

    /// <summary>Starts a long-running program in <paramref name="ns"/> (at most <paramref name="limit"/>, default 3 minutes); the lab ends it.</summary>
    public BackgroundProcess Start(NetworkNamespace ns, string name, IReadOnlyList<string> command, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var process = BackgroundProcess.Start(name, ns.Inside(command), limit ?? TimeSpan.FromMinutes(3));
        lock (_lock)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Starts <c>dotnet dhcpsharp.dll ARGUMENTS…</c> in <paramref name="ns"/>, named after its command.</summary>
    public BackgroundProcess StartDhcpSharp(NetworkNamespace ns, TimeSpan limit, params string[] arguments) =>
        Start(ns, $"dhcpsharp {arguments.FirstOrDefault()}", Suite.DhcpSharpCommand(arguments), limit);

    /// <summary>A line in the test log, with the lab's age.</summary>
    public void Step(string what) => TestLog.Write(string.Create(CultureInfo.InvariantCulture, $"[{_age.Elapsed.TotalSeconds,6:0.0}s] {what}"));

    /// <summary>Ends every program (last started first), then deletes every namespace; once.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        foreach (IAsyncDisposable owned in Enumerable.Reverse<IAsyncDisposable>(Processes).Concat(Enumerable.Reverse(_namespaces)))
        {
            try
            {
                await owned.DisposeAsync();
            }
            catch (Exception e)
            {
                TestLog.Write($"cleanup: {e.Message}");
            }
        }
    }

    /// <summary>Stops everything, writes each program's output to the test log, then removes the work directory unless kept.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync();
            foreach (var process in Processes)
            {
                string output = process.Output;
                TestLog.Write($"----- {process.Name} (exit {process.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}) -----\n$ {process.CommandLine}");
                TestLog.Write(output.Length > OutputTail ? $"[… {output.Length - OutputTail} characters before]\n{output[^OutputTail..]}" : output);
            }
        }
        finally
        {
            if (KeepDirectory)
            {
                TestLog.Write($"work files kept in {Directory}");
            }
            else
            {
                try
                {
                    System.IO.Directory.Delete(Directory, recursive: true);
                }
                catch (IOException e)
                {
                    TestLog.Write($"cleanup: {e.Message}");
                }
            }
        }

        GC.SuppressFinalize(this);
    }
}
