using DhcpSharp.EndToEnd.Tests.Infrastructure;

namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// Each real client gets a lease, renews it by unicast and releases it, against the real daemon.
/// The capture is taken on the server's interface and decoded by tshark, so "unicast" is checked
/// on the wire: the renewal REQUEST (RFC 2131 §4.4.5 RENEWING) carries ciaddr and goes from the
/// client's address to the server's; its ACK goes back to ciaddr, not to broadcast.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClientLifecycleTests
{
    // 10.233.1.0/24: server .1, pool .100-.199. A 20 s lease puts T1 at 10 s, so dhclient
    // (which cannot be told to renew) does it by itself within the test.
    private const string ServerAddress = "10.233.1.1";
    private const string Pool = "10.233.1.100-10.233.1.199";

    [Fact]
    public Task Udhcpc_gets_a_lease_renews_by_unicast_and_releases() =>
        RunAsync((lab, ns, device) => new Udhcpc(lab, ns, device), "udhcpc");

    [Fact]
    public Task Dhclient_gets_a_lease_renews_by_unicast_and_releases() =>
        RunAsync((lab, ns, device) => new Dhclient(lab, ns, device), "dhclient");

    [Fact]
    public Task Dhcpcd_gets_a_lease_renews_by_unicast_and_releases() =>
        RunAsync((lab, ns, device) => new Dhcpcd(lab, ns, device), "dhcpcd", "unshare", "nsenter");

    private static async Task RunAsync(Func<NamespaceLab, NetworkNamespace, string, DhcpClientProcess> createClient, params string[] programs)
    {
        await using var lab = await EndToEndLab.CreateAsync([.. programs, "dumpcap", "tshark"]);
        var link = await lab.DirectLinkAsync($"{ServerAddress}/24");
        var capture = await PacketCapture.StartAsync(lab, link.Server, link.ServerDevice);
        var server = await ServerProcess.StartAsync(lab, link.Server, lab.PathFor("leases.db"),
            ["--interface", link.ServerDevice, "--range", Pool, "--router", ServerAddress, "--dns", ServerAddress, "--lease-time", "20", "--trace"]);
        string clientMac = await link.Client.MacAddressAsync(link.ClientDevice);
        var client = createClient(lab, link.Client, link.ClientDevice);

        await client.StartAsync();
        string address = await client.WaitForLeaseAsync();
        Assert.True(Ipv4.InRange(address, Pool), $"{client.Name} got {address}, outside the pool {Pool}");
        Assert.Equal(StoredLeaseState.Bound, LeaseDatabase.Find(server.LeaseFile, address)?.State);

        await client.RenewAsync();
        Assert.Equal(address, await client.WaitForEventAsync("renew", TimeSpan.FromSeconds(25)));
        lab.Step($"{client.Name} renewed {address}");

        await client.ReleaseAsync();
        await LeaseDatabase.WaitForStateAsync(server.LeaseFile, address, StoredLeaseState.Released, TimeSpan.FromSeconds(15));
        lab.Step($"{client.Name} released {address}");
        Assert.True(server.IsAlive, "the server is no longer running");

        var frames = await capture.StopAndDecodeAsync();
        string wire = string.Join('\n', frames);
        var renewal = frames.FirstOrDefault(f => f.MessageType == CapturedDhcp.Request && f.ClientAddress == address);
        Assert.True(renewal is not null, $"no REQUEST with ciaddr {address} was captured:\n{wire}");
        Assert.True((renewal.Source, renewal.Destination, renewal.DestinationPort) == (address, ServerAddress, 67),
            $"the renewal REQUEST is not unicast from {address} to {ServerAddress}:67: {renewal}\n{wire}");
        var ack = frames.FirstOrDefault(f => f.Number > renewal.Number && f.MessageType == CapturedDhcp.Ack && f.ClientAddress == address);
        Assert.True(ack is not null, $"no ACK with ciaddr {address} after frame {renewal.Number}:\n{wire}");
        Assert.True((ack.Source, ack.Destination, ack.DestinationPort, ack.EthernetDestination) == (ServerAddress, address, 68, clientMac),
            $"the renewal ACK is not unicast from {ServerAddress} to {address}:68 ({clientMac}): {ack}\n{wire}");
        lab.Step($"on the wire: renewal {renewal}; its ACK {ack}");
        Assert.True(frames.Any(f => f.MessageType == CapturedDhcp.Release && f.ClientAddress == address), $"no RELEASE of {address} was captured:\n{wire}");
    }
}
