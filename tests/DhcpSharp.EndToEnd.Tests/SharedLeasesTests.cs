using System.Globalization;
using DhcpSharp.EndToEnd.Tests.Infrastructure;

namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// Several dhcpsharp servers on one L2 segment and one PostgreSQL database (a private cluster the
/// tests start), with real clients (udhcpc, dhclient, dhcpcd) and perfdhcp's simulated ones: no
/// address is ever ACKed to two clients, a reservation holds from every server, a server killed
/// with SIGKILL leaves its clients to rebind to another with their addresses, and a database that
/// stops and starts under load makes the servers drop requests (never ACK without a commit) and
/// then serve again by themselves. Segment 10.233.12.0/24 on a bridge; servers .1–.3.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SharedLeasesTests
{
    private const string Pool = "10.233.12.100-10.233.12.160";
    private const string Reserved = "10.233.12.150";
    private const string ReservedMac = "02:e2:e0:0c:00:99";

    [Fact]
    public async Task Three_servers_on_one_database_never_ack_an_address_to_two_clients_and_each_honours_the_reservation()
    {
        await using var lab = await EndToEndLab.CreateAsync("udhcpc", "dhclient", "dhcpcd", "perfdhcp", "dumpcap", "tshark");
        var segment = await SegmentAsync(lab);
        string database = await SharedPostgreSql.NewDatabaseAsync();
        var servers = new List<ServerProcess>();
        for (int i = 1; i <= 3; i++)
        {
            servers.Add(await StartServerAsync(lab, segment, i, database, leaseTime: 600));
        }

        // The reserved machine, watched: every server must offer it its reserved address.
        var (reservedHost, reservedDevice) = await ClientAsync(lab, segment, "rsv", ReservedMac);
        var watch = await PacketCapture.StartAsync(lab, reservedHost, reservedDevice);
        var reserved = new Udhcpc(lab, reservedHost, reservedDevice, "udhcpc-reserved");
        await reserved.StartAsync();
        Assert.Equal(Reserved, await reserved.WaitForLeaseAsync());
        var offers = (await watch.StopAndDecodeAsync()).Where(p => p.MessageType == CapturedDhcp.Offer).ToList();
        foreach (int i in new[] { 1, 2, 3 })
        {
            Assert.True(offers.Any(o => o.ServerIdentifier == $"10.233.12.{i}" && o.YourAddress == Reserved),
                $"server {i} did not offer the reservation {Reserved}:\n{string.Join('\n', offers)}");
        }

        // Real clients of three kinds.
        var (h1, d1) = await ClientAsync(lab, segment, "uc", "02:e2:e0:0c:00:01");
        var (h2, d2) = await ClientAsync(lab, segment, "dc", "02:e2:e0:0c:00:02");
        var (h3, d3) = await ClientAsync(lab, segment, "pc", "02:e2:e0:0c:00:03");
        DhcpClientProcess[] clients = [new Udhcpc(lab, h1, d1), new Dhclient(lab, h2, d2), new Dhcpcd(lab, h3, d3)];
        var addresses = new Dictionary<string, string> { [ReservedMac] = Reserved };
        string[] macs = ["02:e2:e0:0c:00:01", "02:e2:e0:0c:00:02", "02:e2:e0:0c:00:03"];
        for (int i = 0; i < clients.Length; i++)
        {
            await clients[i].StartAsync();
            string address = await clients[i].WaitForLeaseAsync();
            Assert.True(Ipv4.InRange(address, Pool), $"{clients[i].Name} got {address}, outside {Pool}");
            addresses[macs[i]] = address;
        }

        Assert.Equal(addresses.Count, addresses.Values.Distinct().Count());

        // perfdhcp: 40 simulated clients at once, answered by all three servers (it takes the first offer).
        var (loadHost, loadDevice) = await ClientAsync(lab, segment, "load", null, "10.233.12.50/24");
        var capture = await PacketCapture.StartAsync(lab, loadHost, loadDevice);
        var perfdhcp = await loadHost.ExecAsync([Prerequisites.Tool("perfdhcp"), "-4", "-l", loadDevice, "-r", "40", "-R", "40", "-n", "40", "-p", "15", "-d", "2", "-W", "1000000"], TimeSpan.FromSeconds(40), check: false);
        lab.Step($"perfdhcp: {Summary(perfdhcp.Output)}");
        var acks = (await capture.StopAndDecodeAsync()).Where(p => p.MessageType == CapturedDhcp.Ack).ToList();
        Assert.True(acks.Count >= 30, $"perfdhcp got only {acks.Count} ACKs:\n{perfdhcp.Output}");
        foreach (var ack in acks)
        {
            if (addresses.TryGetValue(ack.ClientMac, out string? held))
            {
                Assert.Equal(held, ack.YourAddress);
            }

            var other = addresses.FirstOrDefault(a => a.Value == ack.YourAddress && a.Key != ack.ClientMac);
            Assert.True(other.Key is null, $"{ack.YourAddress} was ACKed to {ack.ClientMac} by {ack.ServerIdentifier} while {other.Key} holds it");
            addresses[ack.ClientMac] = ack.YourAddress;
            Assert.NotEqual(Reserved, ack.YourAddress);
        }

        // The database agrees: one binding per address (its key) and one address per client.
        var bound = await BoundRowsAsync(database);
        Assert.Equal(bound.Count, bound.Select(r => r.Client).Distinct().Count());
        Assert.True(bound.Any(r => r.Address == Reserved && r.Client == $"hw:1:{ReservedMac.Replace(":", "", StringComparison.Ordinal)}"),
            $"the reservation is not bound in the database: {string.Join("; ", (await PsqlAsync(database, "SELECT address, client_key, state, version, server FROM dhcpsharp_leases ORDER BY address LIMIT 8;")).Select(r => string.Join(' ', r)))}");
        Assert.True(bound.Select(r => r.Server).Distinct().Count() >= 2, $"all bindings came from one server: {string.Join(", ", bound.Select(r => r.Server))}");
        Assert.All(servers, s => Assert.True(s.IsAlive, "a server stopped"));
    }

    [Fact]
    public async Task Clients_of_a_server_killed_with_SIGKILL_rebind_to_another_and_keep_their_addresses()
    {
        await using var lab = await EndToEndLab.CreateAsync("udhcpc");
        var segment = await SegmentAsync(lab);
        string database = await SharedPostgreSql.NewDatabaseAsync();
        // 20 s leases: T1 10 s (unicast to the server that bound it), T2 17.5 s (broadcast to any).
        var first = await StartServerAsync(lab, segment, 1, database, leaseTime: 20);
        var clients = new List<Udhcpc>();
        var addresses = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            var (host, device) = await ClientAsync(lab, segment, $"c{i}", $"02:e2:e0:0c:01:{i:x2}");
            var client = new Udhcpc(lab, host, device, $"udhcpc{i}");
            await client.StartAsync();
            addresses.Add(await client.WaitForLeaseAsync());
            clients.Add(client);
        }

        // Only now the second server: every lease is the first one's.
        var second = await StartServerAsync(lab, segment, 2, database, leaseTime: 20);
        Assert.All(await BoundRowsAsync(database), r => Assert.Equal("srv1", r.Server));
        await first.KillHardAsync();
        lab.Step("srv1 killed with SIGKILL");

        // Renewing fails (srv1 is gone), rebinding reaches srv2, which finds the bindings in the database.
        for (int i = 0; i < clients.Count; i++)
        {
            Assert.Equal(addresses[i], await clients[i].WaitForEventAsync("renew", TimeSpan.FromSeconds(45)));
        }

        var rows = await BoundRowsAsync(database);
        foreach (string address in addresses)
        {
            Assert.Equal("srv2", Assert.Single(rows, r => r.Address == address).Server);
        }

        Assert.True(second.IsAlive, "srv2 stopped");
    }

    [Fact]
    public async Task A_database_stopped_and_started_under_load_gets_no_ack_without_commit_and_serving_resumes_by_itself()
    {
        await using var lab = await EndToEndLab.CreateAsync("perfdhcp", "dumpcap", "tshark");
        await using var cluster = await PostgreSqlCluster.StartAsync();
        string database = cluster.Uri(await cluster.CreateDatabaseAsync("outage"));
        var segment = await SegmentAsync(lab);
        // A /16 here: perfdhcp brings 750 new clients.
        var server = await StartServerAsync(lab, segment, 1, database, leaseTime: 600, subnet: "10.234.0.0/16", pool: "10.234.1.0-10.234.4.255");
        var (loadHost, loadDevice) = await ClientAsync(lab, segment, "load", null, "10.234.0.50/16");
        var capture = await PacketCapture.StartAsync(lab, loadHost, loadDevice);

        // 25 s of 30 new clients a second; the database is down from 6 s to about 10 s.
        var load = lab.Start(loadHost, "perfdhcp", [Prerequisites.Tool("perfdhcp"), "-4", "-l", loadDevice, "-r", "30", "-R", "5000", "-p", "25", "-d", "1", "-W", "1000000"], TimeSpan.FromSeconds(45));
        await Task.Delay(TimeSpan.FromSeconds(6));
        await cluster.StopServerAsync();
        double stoppedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        lab.Step("PostgreSQL stopped");
        await Task.Delay(TimeSpan.FromSeconds(4));
        await cluster.StartServerAsync();
        double startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        lab.Step("PostgreSQL started");
        Assert.True(await load.WaitForExitAsync(TimeSpan.FromSeconds(40)), "perfdhcp did not finish");
        lab.Step($"perfdhcp: {Summary(load.Output)}");
        var acks = (await capture.StopAndDecodeAsync()).Where(p => p.MessageType == CapturedDhcp.Ack).ToList();

        // Every ACK the client saw is a committed binding of that client.
        var bound = (await BoundRowsAsync(database)).ToDictionary(r => r.Address);
        foreach (var ack in acks)
        {
            Assert.True(bound.TryGetValue(ack.YourAddress, out var row), $"{ack.YourAddress} was ACKed (frame {ack.Number}) but is not bound in the database");
            Assert.Equal($"hw:1:{ack.ClientMac.Replace(":", "", StringComparison.Ordinal)}", row!.Client);
        }

        // Nothing was ACKed while the database was down (a moment's grace for replies already on the wire).
        Assert.DoesNotContain(acks, a => a.Time > stoppedAt + 0.5 && a.Time < startedAt);
        // Serving resumed by itself, within 5 s of the database's return.
        var firstAfter = acks.Where(a => a.Time >= startedAt).Select(a => a.Time).DefaultIfEmpty(double.MaxValue).Min();
        Assert.True(firstAfter - startedAt < 5, $"the first ACK after the database came back was {(firstAfter == double.MaxValue ? "never" : $"{firstAfter - startedAt:F1} s later")}");
        Assert.True(acks.Count(a => a.Time < stoppedAt) > 50, "too few ACKs before the outage to call it load");
        Assert.Contains("Lease database unreachable", server.Log, StringComparison.Ordinal);
        Assert.Contains("Lease database reachable again", server.Log, StringComparison.Ordinal);
        Assert.True(server.IsAlive, "the server did not stay up through the outage");
    }

    /// <summary>The segment: a bridge in its own namespace.</summary>
    private static async Task<(NetworkNamespace Namespace, string Bridge)> SegmentAsync(NamespaceLab lab)
    {
        var segment = await lab.NamespaceAsync("lan");
        string bridge = lab.Interface("br");
        await lab.AddBridgeAsync(segment, bridge);
        return (segment, bridge);
    }

    private static async Task<(NetworkNamespace Host, string Device)> ClientAsync(NamespaceLab lab, (NetworkNamespace Namespace, string Bridge) segment, string role, string? mac, string? cidr = null)
    {
        string device = lab.Interface(role);
        var host = await lab.AddBridgedHostAsync(segment.Namespace, segment.Bridge, role, device, lab.Interface($"p{role}"), cidr, mac);
        return (host, device);
    }

    /// <summary>Server <paramref name="number"/> at .N of <paramref name="subnet"/> on the segment, its lease store the shared database.</summary>
    private static async Task<ServerProcess> StartServerAsync(NamespaceLab lab, (NetworkNamespace Namespace, string Bridge) segment, int number, string database, int leaseTime, string subnet = "10.233.12.0/24", string pool = Pool)
    {
        string device = lab.Interface($"s{number}");
        string prefix = subnet[..subnet.LastIndexOf('.')];
        var host = await lab.AddBridgedHostAsync(segment.Namespace, segment.Bridge, $"srv{number}", device, lab.Interface($"ps{number}"), $"{prefix}.{number}{subnet[subnet.IndexOf('/')..]}");
        string config = lab.PathFor($"srv{number}.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "leaseTime": {{leaseTime}},
              "subnets": [ {
                "subnet": "{{subnet}}",
                "pools": [ { "range": "{{pool}}" } ],
                "reservations": [ { "mac": "{{ReservedMac}}", "address": "{{(subnet.StartsWith("10.233.12.", StringComparison.Ordinal) ? Reserved : prefix + ".7")}}" } ]
              } ]
            }
            """);
        return await ServerProcess.StartAsync(lab, host, database, ["--config", config, "--interface", device, "--server-name", $"srv{number}"], $"dhcpsharp srv{number}");
    }

    private static async Task<IReadOnlyList<(string Address, string Client, string Server)>> BoundRowsAsync(string database)
    {
        var rows = await PsqlAsync(database, "SELECT address, client_key, coalesce(server, '') FROM dhcpsharp_leases WHERE state = 2 AND expires > (extract(epoch from now()) * 1000)::bigint ORDER BY address;");
        return [.. rows.Select(r =>
        {
            uint address = (uint)long.Parse(r[0], CultureInfo.InvariantCulture);
            return ($"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}", r[1], r[2]);
        })];
    }

    /// <summary>psql against the lease database (by its URI, as the server uses it).</summary>
    private static async Task<IReadOnlyList<string[]>> PsqlAsync(string database, string sql)
    {
        string psql = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "psql")).First(File.Exists);
        var result = await Command.RunAsync(["runuser", "-u", "postgres", "--", psql, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql, database], TimeSpan.FromSeconds(30));
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t'))];
    }

    private static string Summary(string perfdhcp) =>
        string.Join("; ", perfdhcp.Split('\n').Where(l => l.StartsWith("sent packets", StringComparison.Ordinal) || l.StartsWith("received packets", StringComparison.Ordinal) || l.StartsWith("drops:", StringComparison.Ordinal)));
}
