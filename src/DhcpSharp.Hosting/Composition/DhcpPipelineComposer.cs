using DhcpSharp.Boot.Policy;
using DhcpSharp.Boot.Proxy;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Hosting.Composition;

/// <summary>
/// Puts the stages of one process together, in one place for the daemon, the library entry point
/// and the warm-up: port 67 gets validation, the DHCP engine's stages, the callbacks, boot
/// decoration and proxyDHCP as configured; port 4011 only what a boot server needs.
/// </summary>
public static class DhcpPipelineComposer
{
    public static RequestPipeline<DhcpRequestContext> ForDhcpPort(DhcpServerEngine? engine, BootPolicyHolder? policy, ProxyScope? proxy, DhcpServerCallbacks callbacks, IEnumerable<Action<RequestPipelineBuilder<DhcpRequestContext>>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new RequestPipelineBuilder<DhcpRequestContext>().UseValidation().UseCallbacks(callbacks);
        if (engine is not null)
        {
            engine.AddStages(builder);
            if (policy is not null)
            {
                builder.UseBootDecoration(policy);
            }
        }

        if (proxy is not null && policy is not null)
        {
            builder.UseProxyDhcp(policy, proxy.Interfaces);
        }

        builder.UseUnhandledDrop(proxy is null ? "no configured subnet for this request" : "not served on this interface");
        foreach (var change in configure)
        {
            change(builder);
        }

        return builder.Build();
    }

    public static RequestPipeline<DhcpRequestContext> ForBootServerPort(BootPolicyHolder policy, DhcpServerCallbacks callbacks, IEnumerable<Action<RequestPipelineBuilder<DhcpRequestContext>>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new RequestPipelineBuilder<DhcpRequestContext>()
            .UseValidation()
            .UseCallbacks(callbacks)
            .UseProxyDhcp(policy)
            .UseUnhandledDrop("not served on this interface");
        foreach (var change in configure)
        {
            change(builder);
        }

        return builder.Build();
    }
}
