using System.Text.Json;
using DhcpSharp.Protocol;

namespace DhcpSharp.Client.Tests.Network;

/// <summary>
/// <c>dhcpsharp client</c> and <c>dhcpsharp watch</c> as processes in network namespaces, on an
/// interface without an address, against <c>dhcpsharp serve</c> and dnsmasq.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClientNetworkTests
{
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Client_gets_a_lease_in_range_from_dhcpsharp_serve()
    {
        await using var lab = await NetworkLab.CreateAsync();
        await StartServeAsync(lab, "10.234.0.100-10.234.0.120");

        await using var client = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", NetworkLab.ClientInterface, "--once", "--json", "--hostname", "labhost", "--request-option", "ntpServer");
        Assert.True(await client.WaitForExitCodeAsync(ProcessLimit) == 0, client.Output);

        var bound = ParseEvents(client).Single();
        Assert.Equal("bound", bound.GetProperty("event").GetString());
        var address = IPv4Address.Parse(bound.GetProperty("address").GetString()!);
        Assert.InRange(address.Value, IPv4Address.Parse("10.234.0.100").Value, IPv4Address.Parse("10.234.0.120").Value);
        Assert.Equal(NetworkLab.ServerAddress, bound.GetProperty("server").GetString());
        Assert.Equal(24, bound.GetProperty("prefixLength").GetInt32());
        Assert.Equal([NetworkLab.ServerAddress], bound.GetProperty("routers").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["10.234.0.53"], bound.GetProperty("dns").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(300, bound.GetProperty("leaseTime").GetInt32());
        Assert.Equal(NetworkLab.ClientInterface, bound.GetProperty("interface").GetString());
        Assert.Equal("ACK", bound.GetProperty("options").GetProperty("53").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Release_on_exit_frees_the_address_at_dhcpsharp_serve_and_the_hook_script_sees_the_lease()
    {
        await using var lab = await NetworkLab.CreateAsync();
        // One address only: the second client can have it only if the first really released it.
        await StartServeAsync(lab, "10.234.0.100-10.234.0.100");
        string log = Path.Combine(lab.Directory, "hook.log");
        string script = Path.Combine(lab.Directory, "hook.sh");
        File.WriteAllText(script, $"#!/bin/sh\n{{ echo \"--- $DHCPSHARP_EVENT\"; env | grep '^DHCPSHARP_' | sort; }} >> '{log}'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var first = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", NetworkLab.ClientInterface, "--once", "--release-on-exit",
            "--mac", "02:00:00:00:00:01", "--script", script);
        Assert.True(await first.WaitForExitCodeAsync(ProcessLimit) == 0, first.Output);
        Assert.StartsWith("bound 10.234.0.100/24 on dsc-cli from 10.234.0.1", first.StandardOutput[0]);
        Assert.Contains(first.StandardOutput, line => line.StartsWith("released 10.234.0.100/24", StringComparison.Ordinal));

        var events = ParseHookLog(File.ReadAllText(log));
        Assert.Equal(["bound", "released"], events.Select(e => e["DHCPSHARP_EVENT"]));
        var bound = events[0];
        Assert.Equal("10.234.0.100", bound["DHCPSHARP_ADDRESS"]);
        Assert.Equal("255.255.255.0", bound["DHCPSHARP_NETMASK"]);
        Assert.Equal("24", bound["DHCPSHARP_PREFIX_LENGTH"]);
        Assert.Equal(NetworkLab.ServerAddress, bound["DHCPSHARP_ROUTERS"]);
        Assert.Equal("10.234.0.53", bound["DHCPSHARP_DNS"]);
        Assert.Equal("300", bound["DHCPSHARP_LEASE_TIME"]);
        Assert.Equal(NetworkLab.ServerAddress, bound["DHCPSHARP_SERVER"]);
        Assert.Equal(NetworkLab.ClientInterface, bound["DHCPSHARP_INTERFACE"]);
        Assert.Equal("05", bound["DHCPSHARP_OPTION_53"]);

        await using var second = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", NetworkLab.ClientInterface, "--once", "--json", "--mac", "02:00:00:00:00:02");
        Assert.True(await second.WaitForExitCodeAsync(ProcessLimit) == 0, second.Output);
        Assert.Equal("10.234.0.100", ParseEvents(second).Single().GetProperty("address").GetString());
    }

    [Fact]
    public async Task Client_obtains_and_releases_a_lease_from_dnsmasq()
    {
        await using var lab = await NetworkLab.CreateAsync();
        string leases = Path.Combine(lab.Directory, "dnsmasq.leases");
        await using var dnsmasq = lab.Start(lab.ServerNamespace, "dnsmasq", ["dnsmasq", "--no-daemon", "--port=0", $"--interface={NetworkLab.ServerInterface}", "--bind-interfaces",
            "--dhcp-range=10.234.0.150,10.234.0.160,2m", $"--dhcp-leasefile={leases}", $"--pid-file={Path.Combine(lab.Directory, "dnsmasq.pid")}",
            "--dhcp-option=option:dns-server,10.234.0.53", "--user=root", "--log-dhcp", "--log-facility=-"], ProcessLimit);
        await dnsmasq.WaitForLineAsync(l => l.Contains("DHCP, IP range", StringComparison.Ordinal), StartLimit, "dnsmasq start");
        string mac = lab.ClientMac;

        await using var client = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", NetworkLab.ClientInterface, "--once", "--json", "--release-on-exit");
        Assert.True(await client.WaitForExitCodeAsync(ProcessLimit) == 0, client.Output + "\ndnsmasq:\n" + dnsmasq.Output);

        var events = ParseEvents(client);
        Assert.Equal(["bound", "released"], events.Select(e => e.GetProperty("event").GetString()));
        var address = IPv4Address.Parse(events[0].GetProperty("address").GetString()!);
        Assert.InRange(address.Value, IPv4Address.Parse("10.234.0.150").Value, IPv4Address.Parse("10.234.0.160").Value);
        Assert.Equal(NetworkLab.ServerAddress, events[0].GetProperty("server").GetString());
        Assert.Equal(120, events[0].GetProperty("leaseTime").GetInt32());
        Assert.Equal(["10.234.0.53"], events[0].GetProperty("dns").EnumerateArray().Select(r => r.GetString()));

        // dnsmasq logs the release and drops the lease from its file.
        await dnsmasq.WaitForLineAsync(l => l.Contains($"DHCPRELEASE({NetworkLab.ServerInterface}) {address} {mac}", StringComparison.Ordinal), StartLimit, "dnsmasq DHCPRELEASE");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (File.Exists(leases) && File.ReadAllText(leases).Contains(mac, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.DoesNotContain(mac, File.Exists(leases) ? File.ReadAllText(leases) : "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_on_the_unconfigured_client_interface_prints_the_exchange_as_decode_does()
    {
        await using var lab = await NetworkLab.CreateAsync();
        await StartServeAsync(lab, "10.234.0.100-10.234.0.120");
        await using var watch = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "watch", "--interface", NetworkLab.ClientInterface, "--json");
        await watch.WaitForLineAsync(l => l.StartsWith("dhcpsharp watch: listening on", StringComparison.Ordinal), StartLimit, "watch start");

        await using var client = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", NetworkLab.ClientInterface, "--once", "--json", "--mac", "02:00:00:00:00:07");
        Assert.True(await client.WaitForExitCodeAsync(ProcessLimit) == 0, client.Output);
        await watch.WaitForLineAsync(l => l.Contains("\"messageType\":\"ACK\"", StringComparison.Ordinal), StartLimit, "ACK in the watch output");

        var messages = watch.StandardOutput.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["DISCOVER", "OFFER", "REQUEST", "ACK"], messages.Select(m => m.GetProperty("messageType").GetString()));
        Assert.Single(messages.Select(m => m.GetProperty("xid").GetString()).Distinct());
        Assert.All(messages, m => Assert.Equal("02:00:00:00:00:07", m.GetProperty("chaddr").GetString()));
        foreach (var key in new[] { "time", "src", "dst", "length", "op", "xid", "messageType", "chaddr", "ciaddr", "yiaddr", "siaddr", "giaddr", "flags", "sname", "file", "options" })
        {
            Assert.All(messages, m => Assert.True(m.TryGetProperty(key, out _), $"missing {key}"));
        }

        Assert.Equal("0.0.0.0:68", messages[0].GetProperty("src").GetString());
        Assert.Equal("255.255.255.255:67", messages[0].GetProperty("dst").GetString());
        Assert.Equal($"{NetworkLab.ServerAddress}:67", messages[1].GetProperty("src").GetString());
        Assert.Equal("0x8000", messages[0].GetProperty("flags").GetString());
        Assert.Equal(ParseEvents(client).Single().GetProperty("address").GetString(), messages[3].GetProperty("yiaddr").GetString());
    }

    [Fact]
    public async Task A_running_client_renews_at_T1_once_its_script_configured_the_address_and_releases_on_SIGTERM()
    {
        await using var lab = await NetworkLab.CreateAsync();
        await StartServeAsync(lab, "10.234.0.100-10.234.0.120", leaseSeconds: 16);
        string script = Path.Combine(lab.Directory, "configure.sh");
        // What a real hook does: the RENEWING REQUEST is unicast from, and answered to, the leased address.
        File.WriteAllText(script, """
            #!/bin/sh
            case "$DHCPSHARP_EVENT" in
              bound) ip addr add "$DHCPSHARP_ADDRESS/$DHCPSHARP_PREFIX_LENGTH" dev "$DHCPSHARP_INTERFACE" ;;
              released|expired|nak|declined) [ -n "$DHCPSHARP_ADDRESS" ] && ip addr del "$DHCPSHARP_ADDRESS/$DHCPSHARP_PREFIX_LENGTH" dev "$DHCPSHARP_INTERFACE" ;;
            esac
            exit 0
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await using var client = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", NetworkLab.ClientInterface, "--json", "--release-on-exit", "--script", script);
        await client.WaitForLineAsync(l => l.Contains("\"event\":\"renewed\"", StringComparison.Ordinal), TimeSpan.FromSeconds(40), "a renewal");
        client.Signal(Signals.Terminate);
        Assert.Equal(0, await client.WaitForExitCodeAsync(TimeSpan.FromSeconds(20)));

        var events = ParseEvents(client);
        Assert.Equal(["bound", "renewed", "released"], events.Select(e => e.GetProperty("event").GetString()).Distinct());
        Assert.Single(events.Select(e => e.GetProperty("address").GetString()).Distinct());
        var bound = events[0];
        var renewed = events.First(e => e.GetProperty("event").GetString() == "renewed");
        double t1 = (DateTimeOffset.Parse(renewed.GetProperty("obtainedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(bound.GetProperty("obtainedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).TotalSeconds;
        Assert.InRange(t1, 7.5, 10);
    }

    [Fact]
    public async Task Once_without_a_server_fails_with_a_clear_message()
    {
        await using var lab = await NetworkLab.CreateAsync();
        await using var client = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", NetworkLab.ClientInterface, "--once", "--timeout", "3");
        Assert.Equal(1, await client.WaitForExitCodeAsync(ProcessLimit));
        Assert.Contains(client.StandardError, l => l.Contains("no lease on dsc-cli within 3 s: no server offered an address", StringComparison.Ordinal));
        Assert.Empty(client.StandardOutput);
    }

    [Fact]
    public async Task A_missing_interface_is_a_usage_error()
    {
        await using var lab = await NetworkLab.CreateAsync();
        await using var client = lab.StartDhcpSharp(lab.ClientNamespace, ProcessLimit, "client", "--interface", "nosuch0", "--once");
        Assert.Equal(2, await client.WaitForExitCodeAsync(ProcessLimit));
        Assert.Contains(client.StandardError, l => l.Contains("interface \"nosuch0\" does not exist", StringComparison.Ordinal));
    }

    private static async Task StartServeAsync(NetworkLab lab, string range, int leaseSeconds = 300)
    {
        await ServerProcess.StartAsync(lab, lab.ServerNamespace, lab.PathFor("leases.db"),
            ["--interface", NetworkLab.ServerInterface, "--range", range, "--lease-time", leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--router", NetworkLab.ServerAddress, "--dns", "10.234.0.53"],
            limit: ProcessLimit, readyLine: ServerProcess.ListeningLine);
    }

    private static List<JsonElement> ParseEvents(BackgroundProcess client) =>
        client.StandardOutput.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static List<Dictionary<string, string>> ParseHookLog(string text)
    {
        var events = new List<Dictionary<string, string>>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                events.Add([]);
            }
            else if (line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                events[^1][line[..equals]] = line[(equals + 1)..];
            }
        }

        return events;
    }
}
