using System.Net;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Boot.Proxy;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Boot.Tests;

/// <summary>
/// Both roles in one process: a DHCP scope on one interface (full mode, boot information in its
/// own replies), proxyDHCP on another; ordinary clients on the proxy's segment get nothing.
/// </summary>
public class FullAndProxyPipelineTests
{
    private static readonly IngressInterface Lan = new("lan0", 2, IPv4Address.Parse("192.0.2.1"));
    private static readonly IngressInterface Lab = new("lab0", 3, IPv4Address.Parse("198.51.100.1"));

    [Fact]
    public async Task Scope_interface_gets_full_mode_and_the_other_interface_gets_proxy_offers()
    {
        var policy = new BootPolicy(BootPolicy.DefaultRules(httpBase: null));
        var options = new DhcpServerOptions
        {
            Subnets = [new SubnetOptions { Network = IPv4Network.Parse("192.0.2.0/24"), Interface = "lan0", Pools = [new PoolOptions { First = IPv4Address.Parse("192.0.2.100"), Last = IPv4Address.Parse("192.0.2.199") }] }],
        };
        using var metrics = new DhcpServerMetrics();
        var engine = new DhcpServerEngine(options, new MemoryLeaseStore(), metrics: metrics);
        await engine.StartAsync(CancellationToken.None);
        var holder = new BootPolicyHolder(policy);
        var stages = engine.AddStages(new RequestPipelineBuilder<DhcpRequestContext>().UseValidation())
            .UseBootDecoration(holder)
            .UseProxyDhcp(holder)
            .UseUnhandledDrop("not served on this interface")
            .Build();
        var dispatcher = new DhcpPipeline(stages, metrics);

        var full = await dispatcher.HandleAsync(Context(BiosDiscover(), Lan), CancellationToken.None);
        Assert.NotNull(full);
        Assert.StartsWith("192.0.2.", full.Reply.YourAddress.ToString(), StringComparison.Ordinal);
        Assert.Equal("undionly.kpxe", full.Reply.BootFileName);
        Assert.Equal(Lan.LocalAddress, full.Reply.ServerAddress);
        Assert.False(full.Reply.Options.Contains(DhcpOptionCode.VendorClassIdentifier)); // no BINL detour for EDK2

        var proxied = await dispatcher.HandleAsync(Context(BiosDiscover(), Lab), CancellationToken.None);
        Assert.NotNull(proxied);
        Assert.True(proxied.Reply.YourAddress.IsAny);
        Assert.Equal("PXEClient", proxied.Reply.Options.GetOrDefault(DhcpOptions.VendorClassIdentifier, ""));
        Assert.Equal(Lab.LocalAddress, proxied.Reply.Options.GetOrDefault(DhcpOptions.ServerIdentifier, default));

        var ordinary = new DhcpMessage { TransactionId = 7, ClientHardwareAddress = [2, 0, 0, 0, 0, 9] };
        ordinary.MessageType = DhcpMessageType.Discover;
        Assert.Null(await dispatcher.HandleAsync(Context(ordinary, Lab), CancellationToken.None));
    }

    private static DhcpRequestContext Context(DhcpMessage message, IngressInterface ingress) =>
        new(DhcpMessage.Parse(message.ToArray()), ingress, new IPEndPoint(IPAddress.Any, 68), DateTimeOffset.UtcNow);

    private static DhcpMessage BiosDiscover()
    {
        var message = new DhcpMessage { TransactionId = 42, ClientHardwareAddress = [0x52, 0x54, 0, 0, 0, 1] };
        message.MessageType = DhcpMessageType.Discover;
        message.Options.Set(DhcpOptions.VendorClassIdentifier, "PXEClient:Arch:00000:UNDI:002001");
        message.Options.Set(DhcpOptions.ClientArchitecture, [ProcessorArchitecture.X86Bios]);
        message.Options.Set(DhcpOptions.ParameterRequestList, [1, 3, 43, 60, 66, 67]);
        return message;
    }
}
