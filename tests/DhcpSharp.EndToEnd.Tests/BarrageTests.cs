using DhcpSharp.EndToEnd.Tests.Infrastructure;

namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// Robustness on the wire: at least 50,000 random, mutated and truncated datagrams to UDP port 67,
/// then a real udhcpc must still get a lease from the same, still running, server process.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BarrageTests
{
    // The issue asks for at least 50k at port 67. A few hundred of a 13k/s blast can be lost in the
    // kernel below UDP (neither delivered nor a receive-buffer overflow), so a few more are sent.
    private const int Datagrams = 50_000;
    private const int Sent = 52_000;
    private const string Pool = "10.233.8.10-10.233.8.240";

    [Fact]
    public async Task A_barrage_of_random_and_mutated_datagrams_does_not_stop_the_server()
    {
        await using var lab = await EndToEndLab.CreateAsync("python3", "udhcpc");
        var link = await lab.DirectLinkAsync("10.233.8.1/24");
        // The sender needs a source address: the kernel drops unicast datagrams from 0.0.0.0 as martians.
        await link.Client.AddAddressAsync(link.ClientDevice, "10.233.8.250/24");
        // offerTime 2 s: mutated DISCOVERs with random MACs hold offers; they must lapse before the real client asks.
        // No --trace: tracing 50,000 datagrams would only measure the logger.
        var server = await ServerProcess.StartWithConfigAsync(lab, link.Server, $$"""
            { "leaseTime": 600, "offerTime": 2, "subnets": [ { "subnet": "10.233.8.0/24", "pools": [ { "range": "{{Pool}}" } ] } ] }
            """, link.ServerDevice, trace: false);

        int seed = int.TryParse(Environment.GetEnvironmentVariable("DSE2E_SEED"), out int fixedSeed) ? fixedSeed : Random.Shared.Next();
        lab.Step($"barrage seed {seed} (set DSE2E_SEED to replay it)");
        var before = await link.Server.UdpCountersAsync();
        var summary = await DhcpProbe.BarrageAsync(link.Client, link.ClientDevice, "10.233.8.1", Sent, TimeSpan.FromSeconds(90), seed);
        var after = await link.Server.UdpCountersAsync();
        long delivered = after["InDatagrams"] - before["InDatagrams"], overflowed = after["RcvbufErrors"] - before["RcvbufErrors"];
        lab.Step($"sent {summary.Sent} datagrams in {summary.Seconds} s {summary.Kinds}; server namespace: {delivered} delivered to the socket, {overflowed} dropped on a full receive buffer");

        Assert.True(summary.Sent >= Sent, $"only {summary.Sent} datagrams were sent in time");
        Assert.True(delivered + overflowed >= Datagrams, $"only {delivered + overflowed} of {summary.Sent} datagrams reached the server's port");
        Assert.True(server.IsAlive, $"the server died during the barrage (seed {seed})");

        await Task.Delay(TimeSpan.FromSeconds(3)); // offers made to fuzzed DISCOVERs lapse
        var udhcpc = new Udhcpc(lab, link.Client, link.ClientDevice);
        await udhcpc.StartAsync();
        string address = await udhcpc.WaitForLeaseAsync();
        Assert.True(Ipv4.InRange(address, Pool), $"udhcpc got {address}, outside {Pool}");
        Assert.True(server.IsAlive, $"the server died after the barrage (seed {seed})");
    }
}
