namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>One line a client's hook recorded: the event (bound, renew, release …) and the address.</summary>
internal sealed record ClientEvent(string Name, string Address);

/// <summary>
/// A real DHCP client running in a test namespace. Its hook script only records what the client
/// reports (event and address) in a file and changes nothing, so no client can ever touch the
/// host (resolv.conf, hostname, routes). udhcpc and dhclient then need their leased address on
/// the interface to renew by unicast (they bind to it); the test adds it with <c>ip -n</c>, inside
/// the namespace only — what their usual hook would have done.
/// </summary>
internal abstract class DhcpClientProcess
{
    private readonly string _events;

    protected DhcpClientProcess(NamespaceLab lab, NetworkNamespace ns, string device, string name)
    {
        Lab = lab;
        Namespace = ns;
        Device = device;
        Name = name;
        _events = lab.PathFor($"{name}.events");
        File.WriteAllText(_events, "");
        Hook = lab.WriteScript($"{name}.hook", $$"""
            #!/bin/sh
            # DhcpSharp end-to-end test hook: records the event and address, changes nothing.
            echo "event=${reason:-$1} ip=${new_ip_address:-$ip}" >> '{{_events}}'
            exit 0

            """);
    }

    public string Name { get; }

    public NetworkNamespace Namespace { get; }

    public string Device { get; }

    protected NamespaceLab Lab { get; }

    protected string Hook { get; }

    protected BackgroundProcess? Process { get; set; }

    /// <summary>True when the client puts the address on the interface itself (dhcpcd does; its hook is for the rest).</summary>
    protected virtual bool ConfiguresAddress => false;

    public IReadOnlyList<ClientEvent> Events => File.ReadAllLines(_events).Select(Parse).OfType<ClientEvent>().ToList();

    public abstract Task StartAsync();

    /// <summary>Makes the client renew now (dhclient cannot be told to: its T1 timer does it).</summary>
    public abstract Task RenewAsync();

    public abstract Task ReleaseAsync();

    /// <summary>Waits for the <paramref name="occurrence"/>-th event of that name; returns its address.</summary>
    public async Task<string> WaitForEventAsync(string name, TimeSpan limit, int occurrence = 1)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var matching = Events.Where(e => e.Name == name).ToList();
            if (matching.Count >= occurrence)
            {
                return matching[occurrence - 1].Address;
            }

            if (DateTime.UtcNow > deadline || Process is { HasExited: true })
            {
                Assert.Fail($"{Name}: no '{name}' event #{occurrence} within {limit.TotalSeconds} s; events so far: [{string.Join(", ", Events.Select(e => $"{e.Name} {e.Address}"))}]; output:\n{Process?.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the first lease and makes the address usable for a unicast renewal.</summary>
    public async Task<string> WaitForLeaseAsync(int prefixLength = 24, TimeSpan? limit = null)
    {
        string address = await WaitForEventAsync("bound", limit ?? TimeSpan.FromSeconds(30));
        if (!ConfiguresAddress)
        {
            await Namespace.AddAddressAsync(Device, $"{address}/{prefixLength}");
        }

        Lab.Step($"{Name} bound {address}");
        return address;
    }

    private static ClientEvent? Parse(string line)
    {
        // "event=BOUND ip=10.233.1.100" (dhclient/dhcpcd: $reason; udhcpc: $1)
        var fields = line.Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        return fields.TryGetValue("event", out var name) ? new ClientEvent(name.ToLowerInvariant(), fields.GetValueOrDefault("ip", "")) : null;
    }
}

/// <summary>BusyBox udhcpc: SIGUSR1 renews (unicast once bound), SIGUSR2 releases.</summary>
internal sealed class Udhcpc(NamespaceLab lab, NetworkNamespace ns, string device, string name = "udhcpc") : DhcpClientProcess(lab, ns, device, name)
{
    public override Task StartAsync()
    {
        // Foreground; 5 DISCOVERs 2 s apart, then a 2 s pause before trying again.
        Process = Lab.Start(Namespace, Name, [Prerequisites.Tool("udhcpc"), "-f", "-i", Device, "-s", Hook, "-t", "5", "-T", "2", "-A", "2"]);
        return Task.CompletedTask;
    }

    public override Task RenewAsync()
    {
        Process!.Signal(Signals.User1);
        return Task.CompletedTask;
    }

    public override Task ReleaseAsync()
    {
        Process!.Signal(Signals.User2);
        return Task.CompletedTask;
    }
}

/// <summary>
/// ISC dhclient with private lease, PID and (empty) configuration files, so nothing of the host's
/// /etc/dhcp or /var/lib/dhcp is read or written. <c>-1</c>: one attempt; <c>-d</c>: foreground.
/// </summary>
internal sealed class Dhclient(NamespaceLab lab, NetworkNamespace ns, string device, string name = "dhclient") : DhcpClientProcess(lab, ns, device, name)
{
    private string[] Files => ["-cf", Lab.PathFor($"{Name}.conf"), "-sf", Hook, "-lf", Lab.PathFor($"{Name}.leases"), "-pf", Lab.PathFor($"{Name}.pid")];

    public override Task StartAsync()
    {
        File.WriteAllText(Lab.PathFor($"{Name}.conf"), "");
        Process = Lab.Start(Namespace, Name, [Prerequisites.Tool("dhclient"), "-4", "-d", "-1", "-v", .. Files, Device]);
        return Task.CompletedTask;
    }

    /// <summary>No signal makes dhclient renew; its T1 timer (half the lease time, minus jitter) does.</summary>
    public override Task RenewAsync() => Task.CompletedTask;

    /// <summary><c>dhclient -r</c>: stops the running instance (via the PID file) and sends RELEASE.</summary>
    public override async Task ReleaseAsync()
    {
        var result = await Namespace.ExecAsync([Prerequisites.Tool("dhclient"), "-4", "-r", "-v", .. Files, Device]);
        TestLog.Write($"dhclient -r: {result.Error}");
    }
}

/// <summary>
/// dhcpcd in a private mount namespace with tmpfs over /run and /var/lib/dhcpcd: its control
/// socket, PID file, DUID and lease files never reach the host. <c>-N</c> (renew) and <c>-k</c>
/// (release) are sent through <c>nsenter</c> into that mount namespace, where the socket is.
/// </summary>
internal sealed class Dhcpcd(NamespaceLab lab, NetworkNamespace ns, string device, string name = "dhcpcd") : DhcpClientProcess(lab, ns, device, name)
{
    protected override bool ConfiguresAddress => true;

    public override Task StartAsync()
    {
        const string PrivateDirectories = "mount -t tmpfs dse2e-run /run && mount -t tmpfs dse2e-lib /var/lib/dhcpcd && exec \"$0\" \"$@\"";
        Process = Lab.Start(Namespace, Name,
        [
            Prerequisites.Tool("unshare"), "-m", "--propagation", "private", "sh", "-c", PrivateDirectories,
            Prerequisites.Tool("dhcpcd"), "-4", "-B", "-t", "20", "--noarp", "--noipv4ll", "-f", "/dev/null", "-c", Hook, Device,
        ]);
        return Task.CompletedTask;
    }

    public override Task RenewAsync() => ControlAsync("-N");

    public override Task ReleaseAsync() => ControlAsync("-k");

    private async Task ControlAsync(string flag)
    {
        string pid = Process!.ProgramPid.ToString();
        await Command.RunAsync(Prerequisites.Tool("nsenter"), "-t", pid, "-m", "-n", Prerequisites.Tool("dhcpcd"), "-4", flag, Device);
    }
}
