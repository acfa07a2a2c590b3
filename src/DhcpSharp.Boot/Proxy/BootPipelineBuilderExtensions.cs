using DhcpSharp.Boot.Policy;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Boot.Proxy;

/// <summary>The network-boot stages in their places of a DHCPv4 pipeline.</summary>
public static class BootPipelineBuilderExtensions
{
    /// <summary>Boot information in the DHCP engine's own OFFER/ACK (full mode).</summary>
    public static RequestPipelineBuilder<DhcpRequestContext> UseBootDecoration(this RequestPipelineBuilder<DhcpRequestContext> builder, BootPolicyHolder policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new BootDecorationStage(policy), DhcpStageOrder.BootDecoration);
    }

    /// <summary>proxyDHCP for what the engine does not serve, on <paramref name="interfaces"/> (empty or null: all).</summary>
    public static RequestPipelineBuilder<DhcpRequestContext> UseProxyDhcp(this RequestPipelineBuilder<DhcpRequestContext> builder, BootPolicyHolder policy, IReadOnlySet<string>? interfaces = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new ProxyDhcpStage(policy, interfaces), DhcpStageOrder.ProxyDhcp);
    }
}
