using DhcpSharp.EndToEnd.Tests.Infrastructure;

namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// client — ISC dhcrelay — server, three namespaces. The server serves two subnets (its own link
/// and the relay's client side) and must place the relayed client by giaddr, not by the
/// interface the request came in on.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RelayTests
{
    // Server link 10.233.3.0/24 (server .1, relay .2); relay's client link 10.233.2.0/24 (relay .1).
    private const string ServerPool = "10.233.3.100-10.233.3.150";
    private const string RelayedPool = "10.233.2.100-10.233.2.150";

    [Fact]
    public async Task A_client_behind_dhcrelay_gets_an_address_of_the_relay_subnet()
    {
        await using var lab = await EndToEndLab.CreateAsync("dhcrelay", "udhcpc");
        var server = await lab.NamespaceAsync("srv");
        var relay = await lab.NamespaceAsync("rly");
        var client = await lab.NamespaceAsync("cli");
        var (serverDevice, relayUpstream) = await lab.LinkAsync(server, "s0", relay, "ru");
        var (relayDownstream, clientDevice) = await lab.LinkAsync(relay, "rd", client, "c0");
        await server.AddAddressAsync(serverDevice, "10.233.3.1/24");
        await relay.AddAddressAsync(relayUpstream, "10.233.3.2/24");
        await relay.AddAddressAsync(relayDownstream, "10.233.2.1/24");
        await server.IpAsync("route", "add", "10.233.2.0/24", "via", "10.233.3.2"); // replies go to giaddr 10.233.2.1

        var dhcp = await ServerProcess.StartWithConfigAsync(lab, server, $$"""
            {
              "leaseTime": 600,
              "subnets": [
                { "subnet": "10.233.3.0/24", "pools": [ { "range": "{{ServerPool}}" } ], "options": { "router": "10.233.3.1" } },
                { "subnet": "10.233.2.0/24", "pools": [ { "range": "{{RelayedPool}}" } ], "options": { "router": "10.233.2.1" } }
              ]
            }
            """, serverDevice);
        var dhcrelay = lab.Start(relay, "dhcrelay",
            [Prerequisites.Tool("dhcrelay"), "-4", "-d", "--no-pid", "-id", relayDownstream, "-iu", relayUpstream, "10.233.3.1"]);
        Assert.True(await dhcrelay.WaitForOutputAsync(o => o.Contains("Sending on", StringComparison.Ordinal), TimeSpan.FromSeconds(20)),
            $"dhcrelay did not start:\n{dhcrelay.Output}");
        await Task.Delay(500);

        var udhcpc = new Udhcpc(lab, client, clientDevice);
        await udhcpc.StartAsync();
        string address = await udhcpc.WaitForLeaseAsync();

        Assert.True(Ipv4.InRange(address, RelayedPool), $"the relayed client got {address}, not an address of the relay's subnet ({RelayedPool})");
        Assert.Equal(StoredLeaseState.Bound, LeaseDatabase.Find(dhcp.LeaseFile, address)?.State);
        Assert.Contains("giaddr=10.233.2.1", dhcp.Log, StringComparison.Ordinal);
        Assert.True(dhcp.IsAlive, "the server is no longer running");
    }
}
