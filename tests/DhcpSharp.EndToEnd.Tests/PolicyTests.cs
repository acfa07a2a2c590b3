using DhcpSharp.EndToEnd.Tests.Infrastructure;

namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// Allocation policy seen from the wire: DECLINE probation, reservations, and a full pool. The
/// scripted probe (Scripts/dhcp_probe.py) plays clients real ones cannot be made to be.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PolicyTests
{
    [Fact]
    public async Task A_declined_address_is_not_offered_again_during_probation()
    {
        // Three addresses: once the declined one is out, the two others are held by offers
        // (offerTime 120 s), so the only address a DISCOVER could still get is the declined one.
        const int Probation = 15;
        await using var lab = await EndToEndLab.CreateAsync("python3");
        var link = await lab.DirectLinkAsync("10.233.5.1/24");
        var server = await ServerProcess.StartWithConfigAsync(lab, link.Server, $$"""
            {
              "leaseTime": 600, "offerTime": 120, "declineProbation": {{Probation}},
              "subnets": [ { "subnet": "10.233.5.0/24", "pools": [ { "range": "10.233.5.10-10.233.5.12" } ] } ]
            }
            """, link.ServerDevice);
        const string A = "02:e2:e0:05:00:0a", B = "02:e2:e0:05:00:0b", C = "02:e2:e0:05:00:0c", D = "02:e2:e0:05:00:0d", E = "02:e2:e0:05:00:0e";

        var leased = await DhcpProbe.RunAsync(lab, link.Client, link.ClientDevice, $"lease,{A}");
        string declined = leased[0].Address ?? throw new InvalidOperationException($"{A} got no lease");
        var during = await DhcpProbe.RunAsync(lab, link.Client, link.ClientDevice,
            $"decline,{A}", $"discover,{B}", $"discover,{C}", $"discover,{D},{declined}", $"discover,{A}", $"request,{D},{declined}");
        lab.Step($"DECLINE of {declined} and five requests during its probation");

        var stored = LeaseDatabase.Find(server.LeaseFile, declined);
        Assert.Equal(StoredLeaseState.Declined, stored?.State);
        Assert.True(stored!.Expires > DateTimeOffset.UtcNow, $"probation of {declined} ended too early for the test to mean anything: {stored}");
        Assert.DoesNotContain(during, r => r.Op == "discover" && r.Address == declined);
        Assert.Equal(2, during.Where(r => r.Op == "discover" && r.Address is not null).Select(r => r.Address).Distinct().Count()); // B and C: the two others
        Assert.Null(during.Single(r => r.Op == "discover" && r.Mac == D).Address);
        Assert.Null(during.Single(r => r.Op == "discover" && r.Mac == A).Address);
        var reboot = during.Single(r => r.Op == "request");
        Assert.True(reboot.Nak && reboot.Address is null, $"a REQUEST for the declined {declined} was not NAKed: {reboot}");

        // After probation the address is usable again: it was held back, not lost.
        var wait = stored.Expires - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var after = await DhcpProbe.RunAsync(lab, link.Client, link.ClientDevice, $"discover,{E}");
        Assert.Equal(declined, after[0].Address);
        Assert.True(server.IsAlive, "the server is no longer running");
    }

    [Fact]
    public async Task A_reservation_gives_its_client_the_reserved_address()
    {
        const string ReservedMac = "02:e2:e0:06:00:01", Reserved = "10.233.6.42", Pool = "10.233.6.100-10.233.6.150";
        await using var lab = await EndToEndLab.CreateAsync("udhcpc", "python3");
        var link = await lab.DirectLinkAsync("10.233.6.1/24", clientMac: ReservedMac);
        var server = await ServerProcess.StartWithConfigAsync(lab, link.Server, $$"""
            {
              "leaseTime": 600,
              "subnets": [ {
                "subnet": "10.233.6.0/24",
                "pools": [ { "range": "{{Pool}}" } ],
                "reservations": [ { "mac": "{{ReservedMac}}", "address": "{{Reserved}}" } ]
              } ]
            }
            """, link.ServerDevice);

        // Another client first: it gets a pool address, never the reserved one.
        var other = await DhcpProbe.RunAsync(lab, link.Client, link.ClientDevice, "lease,02:e2:e0:06:00:02");
        Assert.True(Ipv4.InRange(other[0].Address, Pool), $"the unreserved client got {other[0].Address ?? "nothing"}, not a pool address");

        var udhcpc = new Udhcpc(lab, link.Client, link.ClientDevice);
        await udhcpc.StartAsync();
        Assert.Equal(Reserved, await udhcpc.WaitForLeaseAsync());
        Assert.Equal(StoredLeaseState.Bound, LeaseDatabase.Find(server.LeaseFile, Reserved)?.State);
    }

    [Fact]
    public async Task A_full_pool_refuses_the_third_client_and_the_server_keeps_serving()
    {
        const string Pool = "10.233.7.100-10.233.7.101";
        await using var lab = await EndToEndLab.CreateAsync("python3");
        var link = await lab.DirectLinkAsync("10.233.7.1/24");
        var server = await ServerProcess.StartAsync(lab, link.Server, lab.PathFor("leases.db"),
            ["--interface", link.ServerDevice, "--range", Pool, "--lease-time", "600", "--trace"]);
        const string A = "02:e2:e0:07:00:0a", B = "02:e2:e0:07:00:0b", C = "02:e2:e0:07:00:0c", D = "02:e2:e0:07:00:0d";

        var results = await DhcpProbe.RunAsync(lab, link.Client, link.ClientDevice, $"lease,{A}", $"lease,{B}", $"lease,{C}");
        Assert.True(Ipv4.InRange(results[0].Address, Pool) && Ipv4.InRange(results[1].Address, Pool) && results[0].Address != results[1].Address,
            $"the first two clients should share the two addresses: {results[0].Address}, {results[1].Address}");
        Assert.Null(results[2].Address);
        Assert.True(server.IsAlive, "the server died when its pool ran out");
        Assert.Contains("No free address", server.Log, StringComparison.Ordinal);

        var after = await DhcpProbe.RunAsync(lab, link.Client, link.ClientDevice, $"release,{A}", "sleep,0.3", $"lease,{D}");
        Assert.Equal(results[0].Address, after[2].Address);
        Assert.Equal(StoredLeaseState.Bound, LeaseDatabase.Find(server.LeaseFile, after[2].Address!)?.State);
        Assert.True(server.IsAlive, "the server is no longer running");
    }
}
