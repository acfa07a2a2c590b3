using System.Reflection;
using System.Text.Json;
using DhcpSharp.EndToEnd.Tests.Infrastructure;

namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// The programs in examples/ (docs/coming-from-node-dhcp.md points at them) run for real, each
/// against a local server in this test's namespaces, so the documentation cannot rot.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExamplesTests
{
    private const string ServerAddress = "10.233.9.1";
    private const string First = "10.233.9.100";
    private const string Last = "10.233.9.120";

    [Fact]
    public async Task CreateServer_example_serves_a_real_client()
    {
        await using var lab = await EndToEndLab.CreateAsync();
        var link = await lab.DirectLinkAsync($"{ServerAddress}/24");
        var server = lab.Start(link.Server, "CreateServer example", [Prerequisites.Dotnet, Example("CreateServer"), link.ServerDevice, First, Last, "--exit-after-lease"]);
        Assert.True(await server.WaitForOutputAsync(o => o.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), server.Output);

        var result = await link.Client.ExecAsync([Prerequisites.Dotnet, lab.Suite.DhcpSharpDll, "client", "--interface", link.ClientDevice, "--once", "--json", "--timeout", "20"], TimeSpan.FromSeconds(40));
        using var lease = JsonDocument.Parse(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
        string json = lease.RootElement.GetRawText();
        Assert.True(Ipv4.InRange(AddressOf(lease.RootElement), $"{First}-{Last}"), json);
        Assert.Contains("example.lan", json, StringComparison.Ordinal);     // forced domainName
        Assert.Contains(ServerAddress, json, StringComparison.Ordinal);     // router and dns
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the example did not stop after its first lease");
        Assert.Contains("bound 10.233.9.", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateClient_and_BroadcastHandler_examples_work_against_the_daemon()
    {
        await using var lab = await EndToEndLab.CreateAsync();
        var link = await lab.DirectLinkAsync($"{ServerAddress}/24");
        await ServerProcess.StartAsync(lab, link.Server, lab.PathFor("leases.db"), ["--interface", link.ServerDevice, "--range", $"{First}-{Last}", "--router", ServerAddress]);
        var watcher = lab.Start(link.Client, "BroadcastHandler example", [Prerequisites.Dotnet, Example("BroadcastHandler"), link.ClientDevice, "4"]);
        Assert.True(await watcher.WaitForOutputAsync(o => o.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30)), watcher.Output);

        var client = await link.Client.ExecAsync([Prerequisites.Dotnet, Example("CreateClient"), link.ClientDevice], TimeSpan.FromSeconds(60));
        Assert.Contains("Bound: 10.233.9.", client.Output, StringComparison.Ordinal);
        Assert.Contains($"router {ServerAddress}", client.Output, StringComparison.Ordinal);
        Assert.Contains("released", client.Output, StringComparison.Ordinal);

        Assert.True(await watcher.WaitForExitAsync(TimeSpan.FromSeconds(20)), $"the listener did not see four messages:\n{watcher.Output}");
        string seen = watcher.Output;
        int discover = seen.IndexOf("DISCOVER", StringComparison.Ordinal);
        int offer = seen.IndexOf("OFFER", StringComparison.Ordinal);
        int request = seen.IndexOf("REQUEST", StringComparison.Ordinal);
        int ack = seen.IndexOf("ACK", StringComparison.Ordinal);
        Assert.True(discover >= 0 && discover < offer && offer < request && request < ack, seen);
    }

    [Fact]
    public async Task CodecTour_example_runs()
    {
        var result = await Command.RunAsync([Prerequisites.Dotnet, Example("CodecTour")], TimeSpan.FromSeconds(30));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("siteConfigUrl", result.Output, StringComparison.Ordinal);
        Assert.Contains("file=\"ipxe.efi\"", result.Output, StringComparison.Ordinal);
    }

    private static string AddressOf(JsonElement lease) =>
        lease.TryGetProperty("address", out var address) ? address.GetString()!
        : lease.TryGetProperty("lease", out var inner) && inner.TryGetProperty("address", out var nested) ? nested.GetString()!
        : throw new InvalidOperationException($"no address in {lease.GetRawText()}");

    private static string Example(string name)
    {
        string? path = typeof(ExamplesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == $"Example:{name}")?.Value;
        Assert.True(path is not null && File.Exists(path), $"example {name} was not built (recorded path \"{path}\")");
        return path!;
    }
}
