using DhcpSharp.EndToEnd.Tests.Infrastructure;

namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// Durability: leases ACKed before a SIGKILL (no shutdown, no final flush) are still there when
/// the server restarts on the same lease file. Clients renewing afterwards keep their addresses,
/// a newcomer gets none of theirs, and no address ends up with two clients.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RestartTests
{
    // 10.233.4.0/24 on a bridge in the server namespace; one namespace + udhcpc per client.
    private const string Pool = "10.233.4.100-10.233.4.199";
    private const int Clients = 4;

    [Fact]
    public async Task Leases_survive_SIGKILL_and_renewing_clients_keep_their_addresses()
    {
        await using var lab = await EndToEndLab.CreateAsync("udhcpc");
        var server = await lab.NamespaceAsync("srv");
        string bridge = lab.Interface("br");
        await server.IpAsync("link", "add", bridge, "type", "bridge");
        await server.IpAsync("link", "set", bridge, "up");
        await server.AddAddressAsync(bridge, "10.233.4.1/24");

        async Task<Udhcpc> AddClientAsync(int i)
        {
            var ns = await lab.NamespaceAsync($"c{i}");
            var (port, device) = await lab.LinkAsync(server, $"p{i}", ns, $"c{i}", $"02:e2:e0:04:00:{i:x2}");
            await server.IpAsync("link", "set", port, "master", bridge);
            var client = new Udhcpc(lab, ns, device, $"udhcpc{i}");
            await client.StartAsync();
            return client;
        }

        string[] serve = ["--interface", bridge, "--range", Pool, "--lease-time", "600", "--trace"];
        var first = await ServerProcess.StartAsync(lab, server, lab.PathFor("leases.db"), serve, "dhcpsharp serve (first run)");
        var clients = new List<Udhcpc>();
        for (int i = 0; i < Clients; i++)
        {
            clients.Add(await AddClientAsync(i));
        }

        var addresses = new List<string>();
        foreach (var client in clients)
        {
            addresses.Add(await client.WaitForLeaseAsync());
        }

        Assert.All(addresses, a => Assert.True(Ipv4.InRange(a, Pool), $"{a} is outside {Pool}"));
        Assert.Equal(Clients, addresses.Distinct().Count());

        await first.KillHardAsync();
        lab.Step("server killed with SIGKILL");
        var second = await ServerProcess.StartAsync(lab, server, first.LeaseFile, serve, "dhcpsharp serve (after SIGKILL)");
        Assert.Contains($"Loaded {Clients} leases", second.Log, StringComparison.Ordinal);

        for (int i = 0; i < Clients; i++)
        {
            await clients[i].RenewAsync();
            Assert.Equal(addresses[i], await clients[i].WaitForEventAsync("renew", TimeSpan.FromSeconds(20)));
        }

        lab.Step("every client renewed its address with the restarted server");
        var newcomer = await AddClientAsync(Clients);
        string newcomerAddress = await newcomer.WaitForLeaseAsync();
        Assert.DoesNotContain(newcomerAddress, addresses);
        addresses.Add(newcomerAddress);

        var bound = LeaseDatabase.Read(second.LeaseFile).Where(l => l.State == StoredLeaseState.Bound).ToList();
        Assert.Equal(addresses.Order(), bound.Select(l => l.Address).Order());
        Assert.Equal(bound.Count, bound.Select(l => l.ClientKey).Distinct().Count());
        Assert.True(second.IsAlive, "the restarted server is no longer running");
    }
}
