using System.Globalization;
using System.Text.Json;
using DhcpSharp.Client.Tests.Network;
using DhcpSharp.Protocol;

namespace DhcpSharp.Client.Tests;

/// <summary>
/// <c>dhcpsharp client</c> through a whole lease life against real servers on a bridged LAN of
/// namespaces (<see cref="PeerLab"/>, 10.238.0.0/16): two <c>dhcpsharp serve</c> instances
/// (obtain, unicast renewal, rebinding to the second server, NAK after the subnet changed,
/// release), dnsmasq and Kea (obtain, renew, release); and <c>dhcpsharp watch</c> against
/// dhclient, checked against a tshark capture of the same interface. Renewals are checked on the
/// wire, in captures taken in the server's namespace and decoded by tshark.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClientPeerTests
{
    private const string Broadcast = "255.255.255.255";
    private const string BroadcastMac = "ff:ff:ff:ff:ff:ff";
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LabLimit = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Against_dhcpsharp_serve_the_client_obtains_renews_by_unicast_rebinds_to_a_second_server_recovers_from_a_NAK_and_releases()
    {
        await using var lab = await PeerLab.CreateAsync("dumpcap", "tshark");
        var s1 = await lab.AddHostAsync("s1", "10.238.0.1/24");
        var s2 = await lab.AddHostAsync("s2", "10.238.0.2/24");
        var c = await lab.AddHostAsync("c");
        string clientMac = await lab.MacOfAsync(c);
        string s1Mac = await lab.MacOfAsync(s1);
        string s2Mac = await lab.MacOfAsync(s2);
        const string OldRange = "10.238.0.100-10.238.0.110";
        string db1 = Path.Combine(lab.Directory, "s1.db");
        string db2 = Path.Combine(lab.Directory, "s2.db");
        var capture1 = await lab.StartCaptureAsync(s1, "s1", LabLimit);
        var capture2 = await lab.StartCaptureAsync(s2, "s2", LabLimit);

        // Lease 20 s: T1 = 10 s, T2 = 17.5 s. Both servers are configured for the same subnet and range.
        var server1 = await StartServeAsync(lab, s1, OldRange, db1, "10.238.0.1");
        var (script, hookLog) = WriteConfiguringHook(lab);
        await using var client = lab.StartDhcpSharp(c, LabLimit, "client", "--interface", PeerLab.HostInterface, "--json", "--release-on-exit", "--script", script, "--verbose");
        string Context() => $"client:\n{client.Output}\nhook:\n{(File.Exists(hookLog) ? File.ReadAllText(hookLog) : "")}";

        var bound = await WaitForEventAsync(client, "bound", TimeSpan.FromSeconds(30));
        string address = bound.GetProperty("address").GetString()!;
        Assert.InRange(IPv4Address.Parse(address).Value, IPv4Address.Parse("10.238.0.100").Value, IPv4Address.Parse("10.238.0.110").Value);
        Assert.Equal("10.238.0.1", bound.GetProperty("server").GetString());
        Assert.Equal(20, bound.GetProperty("leaseTime").GetInt32());

        // RENEWING at T1: unicast to server 1, which answers.
        var renewed = await WaitForEventAsync(client, "renewed", TimeSpan.FromSeconds(25));
        Assert.Contains($"{address}/24", await lab.AddressesOfAsync(c));

        // Server 1 goes away; server 2 (another address on the same segment) takes over with a copy of its lease database.
        server1.Signal(Signals.Terminate);
        await server1.WaitForExitCodeAsync(TimeSpan.FromSeconds(20));
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(db1 + suffix))
            {
                File.Copy(db1 + suffix, db2 + suffix, overwrite: true);
            }
        }

        var server2 = await StartServeAsync(lab, s2, OldRange, db2, "10.238.0.1");

        // T1 of the renewed lease: the unicast goes unanswered; T2: REBINDING broadcasts, and server 2 acknowledges.
        var rebound = await WaitForEventAsync(client, "rebound", TimeSpan.FromSeconds(35));
        Assert.Equal(address, rebound.GetProperty("address").GetString());
        Assert.Equal("10.238.0.2", rebound.GetProperty("server").GetString());

        // Server 2 is moved to another subnet before the client's next T1: the old address is wrong there.
        server2.Signal(Signals.Terminate);
        await server2.WaitForExitCodeAsync(TimeSpan.FromSeconds(20));
        await lab.ReaddressAsync(s2, "10.238.1.2/24");
        // One address only: a second client can have it only if the first really released it.
        await using var server2b = await StartServeAsync(lab, s2, "10.238.1.100-10.238.1.100", db2, "10.238.1.2");

        var nak = await WaitForEventAsync(client, "nak", TimeSpan.FromSeconds(35));
        var newBound = await WaitForEventAsync(client, "bound", TimeSpan.FromSeconds(20), e => e.GetProperty("address").GetString() == "10.238.1.100");
        Assert.Equal("10.238.1.2", newBound.GetProperty("server").GetString());
        await WaitForAddressesAsync(lab, c, ["10.238.1.100/24"]); // the script runs just after the change is printed

        client.Signal(Signals.Terminate);
        Assert.True(await client.WaitForExitCodeAsync(TimeSpan.FromSeconds(20)) == 0, Context());
        Assert.Empty(await lab.AddressesOfAsync(c));

        await using var second = lab.StartDhcpSharp(c, TimeSpan.FromSeconds(60), "client", "--interface", PeerLab.HostInterface, "--once", "--json", "--mac", "02:38:00:00:00:02");
        Assert.True(await second.WaitForExitCodeAsync(TimeSpan.FromSeconds(60)) == 0, second.Output + "\n" + server2b.Output);
        Assert.Equal("10.238.1.100", ParseEvents(second).Single().GetProperty("address").GetString());

        // The whole life, as the client reported it and as its script saw it.
        var events = ParseEvents(client);
        Assert.True(events.Select(Name).SequenceEqual(["bound", "renewed", "rebound", "nak", "bound", "released"]), Context());
        Assert.Equal(["bound", "renewed", "rebound", "nak", "bound", "released"], File.ReadAllLines(hookLog).Select(l => l.Split(' ')[0]));
        Assert.Equal("10.238.0.1", renewed.GetProperty("server").GetString());
        Assert.Equal(address, renewed.GetProperty("address").GetString());
        Assert.Equal(address, nak.GetProperty("address").GetString());
        Assert.Contains(address, nak.GetProperty("message").GetString(), StringComparison.Ordinal); // the NAK's option 56, passed on
        Assert.Equal("10.238.1.100", events[^1].GetProperty("address").GetString());
        AssertAfter(bound, renewed, Seconds(bound, "renewalTime"));
        AssertAfter(renewed, rebound, Seconds(renewed, "rebindingTime"));
        // After the NAK: back to INIT (after the NAK pause) and a new DISCOVER.
        Assert.Contains(client.StandardError, l => l.Contains("State Rebinding -> Init", StringComparison.Ordinal) || l.Contains("State Renewing -> Init", StringComparison.Ordinal));
        Assert.Contains(client.StandardError, l => l.Contains("State Init -> Selecting", StringComparison.Ordinal));
        Assert.True(Time(newBound, "obtainedAt") - Time(nak, "time") >= TimeSpan.FromSeconds(2.5), Context());

        // On the wire at server 1: the renewal REQUEST unicast to it with ciaddr set, the ACK unicast back.
        var frames1 = await capture1.StopAndDecodeAsync();
        AssertUnicastRenewal(frames1, address, "10.238.0.1", s1Mac, clientMac);
        // The first acquisition was broadcast, with the broadcast flag (the client had no address).
        var discover = frames1.First(f => f.MessageType == CapturedDhcp.Discover);
        Assert.True(discover.BroadcastFlag && discover.Destination == Broadcast && discover.Source == "0.0.0.0", Dump(frames1));

        // At server 2: the REBINDING REQUEST broadcast with ciaddr and without a server identifier, the ACK unicast to ciaddr.
        var frames2 = await capture2.StopAndDecodeAsync();
        var rebind = frames2.FirstOrDefault(f => f.MessageType == CapturedDhcp.Request && f.ClientAddress == address && f.Destination == Broadcast);
        Assert.True(rebind is not null, $"no broadcast REBINDING REQUEST for {address} at server 2:\n{Dump(frames2)}");
        Assert.Equal(address, rebind.Source);
        Assert.Equal(BroadcastMac, rebind.EthernetDestination);
        Assert.Equal(clientMac, rebind.ClientMac);
        Assert.Equal("", rebind.ServerIdentifier);
        Assert.Equal("", rebind.RequestedAddress);
        var reboundAck = frames2.FirstOrDefault(f => f.MessageType == CapturedDhcp.Ack && f.Xid == rebind.Xid);
        Assert.True(reboundAck is not null, $"no ACK to the REBINDING REQUEST {rebind.Xid}:\n{Dump(frames2)}");
        Assert.Equal(("10.238.0.2", address, clientMac, "10.238.0.2", address), (reboundAck.Source, reboundAck.Destination, reboundAck.EthernetDestination, reboundAck.ServerIdentifier, reboundAck.YourAddress));
        Assert.Equal(s2Mac, reboundAck.EthernetSource);

        // The NAK answers a REQUEST for the old address, from the re-addressed server, broadcast.
        var nakFrame = frames2.FirstOrDefault(f => f.MessageType == CapturedDhcp.Nak);
        Assert.True(nakFrame is not null, $"no NAK at server 2:\n{Dump(frames2)}");
        Assert.Equal(("10.238.1.2", Broadcast, "10.238.1.2"), (nakFrame.Source, nakFrame.Destination, nakFrame.ServerIdentifier));
        var nakked = frames2.First(f => f.MessageType == CapturedDhcp.Request && f.Xid == nakFrame.Xid && f.Number < nakFrame.Number);
        Assert.Equal(address, nakked.ClientAddress);

        // Then a new acquisition in the new subnet, and the RELEASE unicast to the new server identifier.
        var after = frames2.Where(f => f.Number > nakFrame.Number && f.ClientMac == clientMac).ToList();
        Assert.True(
            after.Select(f => f.MessageType).Distinct().SequenceEqual([CapturedDhcp.Discover, CapturedDhcp.Offer, CapturedDhcp.Request, CapturedDhcp.Ack, CapturedDhcp.Release]),
            Dump(frames2));
        var release = after.Single(f => f.MessageType == CapturedDhcp.Release);
        Assert.Equal(("10.238.1.100", "10.238.1.100", "10.238.1.2", "10.238.1.2"), (release.ClientAddress, release.Source, release.Destination, release.ServerIdentifier));
    }

    [Fact]
    public async Task Against_dnsmasq_the_client_obtains_renews_by_unicast_at_T1_and_releases()
    {
        await using var lab = await PeerLab.CreateAsync("dnsmasq", "dumpcap", "tshark");
        var s = await lab.AddHostAsync("dnsmasq", "10.238.0.1/24");
        var c = await lab.AddHostAsync("c");
        string clientMac = await lab.MacOfAsync(c);
        var capture = await lab.StartCaptureAsync(s, "dnsmasq", LabLimit);
        // dnsmasq's shortest lease is 2 minutes; option 58 makes the client renew after 10 s. One address, for the release check.
        await using var dnsmasq = StartDnsmasq(lab, s, "10.238.0.150,10.238.0.150,2m", "--dhcp-option=option:T1,10");
        await dnsmasq.WaitForLineAsync(l => l.Contains("DHCP, IP range", StringComparison.Ordinal), StartLimit, "dnsmasq start");

        var (script, _) = WriteConfiguringHook(lab);
        await using var client = lab.StartDhcpSharp(c, TimeSpan.FromSeconds(60), "client", "--interface", PeerLab.HostInterface, "--json", "--release-on-exit", "--script", script);
        var bound = await WaitForEventAsync(client, "bound", TimeSpan.FromSeconds(30));
        Assert.Equal("10.238.0.150", bound.GetProperty("address").GetString());
        Assert.Equal("10.238.0.1", bound.GetProperty("server").GetString());
        Assert.Equal(120, bound.GetProperty("leaseTime").GetInt32());
        Assert.Equal(10, bound.GetProperty("renewalTime").GetInt32());

        var renewed = await WaitForEventAsync(client, "renewed", TimeSpan.FromSeconds(25));
        client.Signal(Signals.Terminate);
        Assert.True(await client.WaitForExitCodeAsync(TimeSpan.FromSeconds(20)) == 0, client.Output);

        var events = ParseEvents(client);
        Assert.True(events.Select(Name).SequenceEqual(["bound", "renewed", "released"]), client.Output);
        Assert.Equal("10.238.0.150", renewed.GetProperty("address").GetString());
        AssertAfter(bound, renewed, 10);

        // dnsmasq saw the initial REQUEST, the renewal and the release.
        await dnsmasq.WaitForLineAsync(l => l.Contains($"DHCPRELEASE({PeerLab.HostInterface}) 10.238.0.150 {clientMac}", StringComparison.Ordinal), StartLimit, "dnsmasq DHCPRELEASE");
        Assert.True(dnsmasq.StandardOutput.Concat(dnsmasq.StandardError).Count(l => l.Contains($"DHCPACK({PeerLab.HostInterface}) 10.238.0.150 {clientMac}", StringComparison.Ordinal)) >= 2, dnsmasq.Output);

        var frames = await capture.StopAndDecodeAsync();
        AssertUnicastRenewal(frames, "10.238.0.150", "10.238.0.1", await lab.MacOfAsync(s), clientMac);
        var release = frames.Single(f => f.MessageType == CapturedDhcp.Release);
        Assert.Equal(("10.238.0.150", "10.238.0.150", "10.238.0.1", "10.238.0.1"), (release.ClientAddress, release.Source, release.Destination, release.ServerIdentifier));

        // The only address is free again.
        await using var second = lab.StartDhcpSharp(c, TimeSpan.FromSeconds(60), "client", "--interface", PeerLab.HostInterface, "--once", "--json", "--mac", "02:38:00:00:00:02");
        Assert.True(await second.WaitForExitCodeAsync(TimeSpan.FromSeconds(60)) == 0, second.Output + "\ndnsmasq:\n" + dnsmasq.Output);
        Assert.Equal("10.238.0.150", ParseEvents(second).Single().GetProperty("address").GetString());
    }

    [Fact]
    public async Task Against_Kea_the_client_obtains_renews_by_unicast_at_T1_and_releases()
    {
        await using var lab = await PeerLab.CreateAsync("kea-dhcp4", "env", "dumpcap", "tshark");
        var s = await lab.AddHostAsync("kea", "10.238.0.1/24");
        var c = await lab.AddHostAsync("c");
        string clientMac = await lab.MacOfAsync(c);
        string config = Path.Combine(lab.Directory, "kea-dhcp4.json");
        string leases = Path.Combine(lab.Directory, "kea-leases4.csv");
        // One address, for the release check; T1 10 s, T2 20 s, lease 40 s. Logs on standard output, no pid or lock file outside the lab.
        File.WriteAllText(config, $$"""
            {
              "Dhcp4": {
                "interfaces-config": { "interfaces": [ "{{PeerLab.HostInterface}}" ] },
                "lease-database": { "type": "memfile", "persist": true, "name": "{{leases}}", "lfc-interval": 0 },
                "valid-lifetime": 40,
                "renew-timer": 10,
                "rebind-timer": 20,
                "subnet4": [
                  {
                    "id": 1,
                    "subnet": "10.238.0.0/24",
                    "pools": [ { "pool": "10.238.0.200 - 10.238.0.200" } ],
                    "option-data": [ { "name": "routers", "data": "10.238.0.1" }, { "name": "domain-name-servers", "data": "10.238.0.53" } ]
                  }
                ],
                "loggers": [ { "name": "kea-dhcp4", "output_options": [ { "output": "stdout", "flush": true } ], "severity": "INFO" } ]
              }
            }
            """);
        var capture = await lab.StartCaptureAsync(s, "kea", LabLimit);
        await using var kea = lab.Start(s, "kea-dhcp4", [Prerequisites.Tool("env"), $"KEA_PIDFILE_DIR={lab.Directory}", "KEA_LOCKFILE_DIR=none", Prerequisites.Tool("kea-dhcp4"), "-c", config], LabLimit);
        await kea.WaitForLineAsync(l => l.Contains("DHCP4_STARTED", StringComparison.Ordinal), StartLimit, "kea-dhcp4 start");

        var (script, _) = WriteConfiguringHook(lab);
        await using var client = lab.StartDhcpSharp(c, TimeSpan.FromSeconds(60), "client", "--interface", PeerLab.HostInterface, "--json", "--release-on-exit", "--script", script);
        var bound = await WaitForEventAsync(client, "bound", TimeSpan.FromSeconds(30));
        Assert.Equal("10.238.0.200", bound.GetProperty("address").GetString());
        Assert.Equal("10.238.0.1", bound.GetProperty("server").GetString());
        Assert.Equal((40, 10, 20), (bound.GetProperty("leaseTime").GetInt32(), bound.GetProperty("renewalTime").GetInt32(), bound.GetProperty("rebindingTime").GetInt32()));
        Assert.Equal(["10.238.0.53"], bound.GetProperty("dns").EnumerateArray().Select(d => d.GetString()));

        var renewed = await WaitForEventAsync(client, "renewed", TimeSpan.FromSeconds(25));
        client.Signal(Signals.Terminate);
        Assert.True(await client.WaitForExitCodeAsync(TimeSpan.FromSeconds(20)) == 0, client.Output);

        var events = ParseEvents(client);
        Assert.True(events.Select(Name).SequenceEqual(["bound", "renewed", "released"]), client.Output);
        Assert.Equal("10.238.0.200", renewed.GetProperty("address").GetString());
        AssertAfter(bound, renewed, 10);

        // Kea allocated the lease twice (the second time for the renewal) and logged the release.
        await kea.WaitForLineAsync(l => l.Contains("DHCP4_RELEASE", StringComparison.Ordinal) && l.Contains("address 10.238.0.200 was released properly", StringComparison.Ordinal), StartLimit, "Kea DHCP4_RELEASE");
        Assert.True(kea.StandardOutput.Concat(kea.StandardError).Count(l => l.Contains("DHCP4_LEASE_ALLOC", StringComparison.Ordinal) && l.Contains(clientMac, StringComparison.Ordinal)) >= 2, kea.Output);

        var frames = await capture.StopAndDecodeAsync();
        AssertUnicastRenewal(frames, "10.238.0.200", "10.238.0.1", await lab.MacOfAsync(s), clientMac);
        var release = frames.Single(f => f.MessageType == CapturedDhcp.Release);
        Assert.Equal(("10.238.0.200", "10.238.0.200", "10.238.0.1", "10.238.0.1"), (release.ClientAddress, release.Source, release.Destination, release.ServerIdentifier));

        await using var second = lab.StartDhcpSharp(c, TimeSpan.FromSeconds(60), "client", "--interface", PeerLab.HostInterface, "--once", "--json", "--mac", "02:38:00:00:00:02");
        Assert.True(await second.WaitForExitCodeAsync(TimeSpan.FromSeconds(60)) == 0, second.Output + "\nkea:\n" + kea.Output);
        Assert.Equal("10.238.0.200", ParseEvents(second).Single().GetProperty("address").GetString());
    }

    [Fact]
    public async Task Watch_shows_a_whole_dhclient_exchange_with_dnsmasq_as_tshark_captures_it()
    {
        await using var lab = await PeerLab.CreateAsync("dnsmasq", "dhclient", "dumpcap", "tshark");
        var s = await lab.AddHostAsync("dnsmasq", "10.238.0.1/24");
        var c = await lab.AddHostAsync("c");
        string clientMac = await lab.MacOfAsync(c);
        await using var dnsmasq = StartDnsmasq(lab, s, "10.238.0.150,10.238.0.160,2m");
        await dnsmasq.WaitForLineAsync(l => l.Contains("DHCP, IP range", StringComparison.Ordinal), StartLimit, "dnsmasq start");

        await using var watch = lab.StartDhcpSharp(c, TimeSpan.FromSeconds(60), "watch", "--interface", PeerLab.HostInterface, "--json");
        await watch.WaitForLineAsync(l => l.StartsWith("dhcpsharp watch: listening on", StringComparison.Ordinal), StartLimit, "watch start");
        var capture = await lab.StartCaptureAsync(c, "client", TimeSpan.FromSeconds(60));

        // -d keeps dhclient in the foreground (under timeout, killed by PID) once bound; /bin/true as its script leaves the
        // interface alone; an empty configuration keeps the host's dhclient.conf out of the test.
        string dhclientConf = Path.Combine(lab.Directory, "dhclient.conf");
        File.WriteAllText(dhclientConf, "");
        await using var dhclient = lab.Start(c, "dhclient", [Prerequisites.Tool("dhclient"), "-d", "-1", "-v", "-sf", "/bin/true", "-cf", dhclientConf,
            "-lf", Path.Combine(lab.Directory, "dhclient.leases"), "-pf", Path.Combine(lab.Directory, "dhclient.pid"), PeerLab.HostInterface], TimeSpan.FromSeconds(60));
        string boundLine = await dhclient.WaitForLineAsync(l => l.StartsWith("bound to ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "dhclient bound");
        string leased = boundLine.Split(' ')[2];
        await watch.WaitForLineAsync(l => l.Contains("\"messageType\":\"ACK\"", StringComparison.Ordinal), StartLimit, "ACK in the watch output");
        var frames = await capture.StopAndDecodeAsync();
        dhclient.Signal(Signals.Terminate);
        watch.Signal(Signals.Interrupt);
        await watch.WaitForExitCodeAsync(TimeSpan.FromSeconds(20));

        var messages = watch.StandardOutput.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string context = $"watch:\n{watch.Output}\ncapture:\n{Dump(frames)}\ndhclient:\n{dhclient.Output}";
        Assert.True(messages.Select(m => m.GetProperty("messageType").GetString()).SequenceEqual(["DISCOVER", "OFFER", "REQUEST", "ACK"]), context);
        string xid = messages[0].GetProperty("xid").GetString()!;
        Assert.All(messages, m => Assert.Equal(xid, m.GetProperty("xid").GetString()));
        Assert.All(messages, m => Assert.Equal(clientMac, m.GetProperty("chaddr").GetString()));
        Assert.Equal(["BOOTREQUEST", "BOOTREPLY", "BOOTREQUEST", "BOOTREPLY"], messages.Select(m => m.GetProperty("op").GetString()));
        var (discover, offer, request, ack) = (messages[0], messages[1], messages[2], messages[3]);
        Assert.Equal(("0.0.0.0:68", "255.255.255.255:67"), (discover.GetProperty("src").GetString(), discover.GetProperty("dst").GetString()));
        Assert.Equal(("0.0.0.0:68", "255.255.255.255:67"), (request.GetProperty("src").GetString(), request.GetProperty("dst").GetString()));
        foreach (var reply in new[] { offer, ack })
        {
            Assert.Equal("10.238.0.1:67", reply.GetProperty("src").GetString());
            var yiaddr = IPv4Address.Parse(reply.GetProperty("yiaddr").GetString()!);
            Assert.InRange(yiaddr.Value, IPv4Address.Parse("10.238.0.150").Value, IPv4Address.Parse("10.238.0.160").Value);
            Assert.Equal("10.238.0.1", reply.GetProperty("options").GetProperty("54").GetProperty("value").GetString());
        }

        Assert.Equal(leased, ack.GetProperty("yiaddr").GetString());
        Assert.Equal(offer.GetProperty("yiaddr").GetString(), request.GetProperty("options").GetProperty("50").GetProperty("value").GetString());
        Assert.Equal("10.238.0.1", request.GetProperty("options").GetProperty("54").GetProperty("value").GetString());
        Assert.Equal("0.0.0.0", request.GetProperty("ciaddr").GetString());

        // The same four messages, in the same order, in tshark's decoding of a capture of the same interface.
        Assert.Equal(
            messages.Select(m => (m.GetProperty("xid").GetString(), m.GetProperty("messageType").GetString(), m.GetProperty("chaddr").GetString(), m.GetProperty("yiaddr").GetString())),
            frames.Select(f => ((string?)f.Xid, (string?)CapturedDhcp.TypeName(f.MessageType), (string?)f.ClientMac, (string?)f.YourAddress)));
    }

    private static async Task<BackgroundProcess> StartServeAsync(PeerLab lab, NetworkNamespace ns, string range, string leases, string router)
    {
        var server = await ServerProcess.StartAsync(lab, ns, leases, ["--interface", PeerLab.HostInterface, "--range", range, "--lease-time", "20", "--router", router],
            name: $"dhcpsharp serve in {ns}", limit: LabLimit, readyLine: ServerProcess.ListeningLine);
        return server.Process;
    }

    private static BackgroundProcess StartDnsmasq(PeerLab lab, NetworkNamespace ns, string range, params string[] extra) =>
        lab.Start(ns, "dnsmasq", [
            Prerequisites.Tool("dnsmasq"), "--no-daemon", "--conf-file=/dev/null", "--port=0", $"--interface={PeerLab.HostInterface}", "--bind-interfaces", $"--dhcp-range={range}", "--no-ping",
            $"--dhcp-leasefile={Path.Combine(lab.Directory, "dnsmasq.leases")}", $"--pid-file={Path.Combine(lab.Directory, "dnsmasq.pid")}",
            "--user=root", "--log-dhcp", "--log-facility=-", .. extra], LabLimit);

    /// <summary>
    /// A hook script that does what dhclient-script does with the address (renewing needs it on
    /// the interface) and logs "EVENT ADDRESS SERVER" per change.
    /// </summary>
    private static (string Script, string Log) WriteConfiguringHook(PeerLab lab)
    {
        string log = Path.Combine(lab.Directory, "hook.log");
        string script = lab.WriteScript("hook.sh", $$"""
            #!/bin/sh
            echo "$DHCPSHARP_EVENT $DHCPSHARP_ADDRESS $DHCPSHARP_SERVER" >> '{{log}}'
            case "$DHCPSHARP_EVENT" in
              bound|renewed|rebound) ip addr replace "$DHCPSHARP_ADDRESS/$DHCPSHARP_PREFIX_LENGTH" dev "$DHCPSHARP_INTERFACE" ;;
              released|expired|nak|declined) ip -4 addr flush dev "$DHCPSHARP_INTERFACE" ;;
            esac
            exit 0
            """);
        return (script, log);
    }

    /// <summary>RENEWING as RFC 2131 §4.4.5 has it: unicast to the server with ciaddr (no 50, no 54, no broadcast flag), and the ACK unicast to ciaddr.</summary>
    private static void AssertUnicastRenewal(IReadOnlyList<CapturedDhcp> frames, string address, string server, string serverMac, string clientMac)
    {
        var acked = frames.Where(f => f.MessageType == CapturedDhcp.Ack).Select(f => f.Xid).ToHashSet();
        var request = frames.FirstOrDefault(f => f.MessageType == CapturedDhcp.Request && f.Destination == server && acked.Contains(f.Xid));
        Assert.True(request is not null, $"no acknowledged REQUEST unicast to {server} in the capture:\n{Dump(frames)}");
        Assert.Equal((address, address, 67), (request.Source, request.ClientAddress, request.DestinationPort));
        Assert.Equal((clientMac, serverMac, clientMac), (request.EthernetSource, request.EthernetDestination, request.ClientMac));
        Assert.False(request.BroadcastFlag, request.ToString());
        Assert.Equal(("", ""), (request.ServerIdentifier, request.RequestedAddress));

        var ack = frames.First(f => f.MessageType == CapturedDhcp.Ack && f.Xid == request.Xid);
        Assert.True(ack.Number > request.Number, Dump(frames));
        Assert.Equal((server, address, 68), (ack.Source, ack.Destination, ack.DestinationPort));
        Assert.Equal((serverMac, clientMac), (ack.EthernetSource, ack.EthernetDestination));
        Assert.Equal((address, server), (ack.YourAddress, ack.ServerIdentifier));
    }

    /// <summary>The later lease was obtained <paramref name="seconds"/> (T1 or T2) after the earlier one.</summary>
    private static void AssertAfter(JsonElement earlier, JsonElement later, double seconds)
    {
        double elapsed = (Time(later, "obtainedAt") - Time(earlier, "obtainedAt")).TotalSeconds;
        Assert.InRange(elapsed, seconds - 0.5, seconds + 2);
    }

    private static async Task WaitForAddressesAsync(PeerLab lab, NetworkNamespace ns, string[] expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await lab.AddressesOfAsync(ns)).SequenceEqual(expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(expected, await lab.AddressesOfAsync(ns));
    }

    private static double Seconds(JsonElement lease, string property) => lease.GetProperty(property).GetInt32();

    private static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    private static string? Name(JsonElement change) => change.GetProperty("event").GetString();

    private static async Task<JsonElement> WaitForEventAsync(BackgroundProcess client, string name, TimeSpan limit, Func<JsonElement, bool>? predicate = null)
    {
        string line = await client.WaitForLineAsync(
            l => l.StartsWith('{') && l.Contains($"\"event\":\"{name}\"", StringComparison.Ordinal) && (predicate is null || predicate(JsonDocument.Parse(l).RootElement)),
            limit,
            $"a '{name}' lease change");
        return JsonDocument.Parse(line).RootElement;
    }

    private static List<JsonElement> ParseEvents(BackgroundProcess client) =>
        client.StandardOutput.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static string Dump(IEnumerable<CapturedDhcp> frames) => string.Join('\n', frames);
}
