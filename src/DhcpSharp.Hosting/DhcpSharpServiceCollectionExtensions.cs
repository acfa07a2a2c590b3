using System.Diagnostics.Metrics;
using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Hosting.Composition;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Hosting.Services;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting;

/// <summary>
/// The composition root: every part of a DhcpSharp process as a registered service, chosen by
/// the settings. Replace a part by registering your own before calling this (the lease store
/// through an <see cref="ILeaseStoreFactory"/>, the clock, the address prober); add stages through
/// <see cref="DhcpSharpHostOptions.ConfigurePipeline"/>.
/// </summary>
public static class DhcpSharpServiceCollectionExtensions
{
    public static IServiceCollection AddDhcpSharp(this IServiceCollection services, DhcpSharpSettings settings, Action<DhcpSharpHostOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var hostOptions = new DhcpSharpHostOptions();
        configure(hostOptions);
        return services.AddDhcpSharp(settings, hostOptions);
    }

    public static IServiceCollection AddDhcpSharp(this IServiceCollection services, DhcpSharpSettings settings, DhcpSharpHostOptions? hostOptions = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        hostOptions ??= new DhcpSharpHostOptions();
        bool dhcp = settings.Dhcp.Subnets.Count > 0;
        var boot = settings.Boot;

        services.AddSingleton(hostOptions);
        services.AddSingleton(new DhcpSharpSettingsHolder(settings));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(sp => new DhcpServerMetrics(sp.GetRequiredService<IMeterFactory>()));
        // The embedded store opens any path; factories registered by the application (PostgreSQL) claim their URIs first.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILeaseStoreFactory, EmbeddedLeaseStoreFactory>());
        services.TryAddSingleton(sp => new InterfaceSelection(settings));
        services.TryAddSingleton<LeaseEvents>();
        services.AddSingleton(sp => new ConfigurationReloader(
            sp.GetRequiredService<DhcpSharpSettingsHolder>(), hostOptions, sp.GetRequiredService<ILogger<ConfigurationReloader>>(),
            sp.GetService<DhcpServerEngine>(), sp.GetService<BootPolicyHolder>()));

        if (dhcp)
        {
            services.TryAddSingleton(sp => new OpeningLeaseStore(sp.GetServices<ILeaseStoreFactory>(), new LeaseStoreOptions(settings.LeaseFile, settings.LeaseCommitDelay, settings.ServerName), sp.GetRequiredService<ILoggerFactory>()));
            services.TryAddSingleton<ILeaseStore>(sp => sp.GetRequiredService<OpeningLeaseStore>());
            services.TryAddSingleton(sp => new DhcpServerEngine(
                settings.Dhcp,
                sp.GetRequiredService<ILeaseStore>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("DhcpSharp"),
                hostOptions.Callbacks,
                sp.GetRequiredService<DhcpServerMetrics>(),
                sp.GetService<IAddressProber>(),
                sp.GetRequiredService<LeaseEvents>(),
                settings.ServerName));
        }

        if (boot is not null)
        {
            services.TryAddSingleton(sp => new BootPolicyHolder(new BootPolicy(BootRules.For(boot), hostOptions.BootCallback)));
            services.TryAddSingleton<IBootFileProvider>(sp => BootFiles.Create(boot.Root));
        }

        services.TryAddSingleton(sp => CreatePipelines(sp, settings, hostOptions));

        // Start in this order, stop in the reverse: the listeners stop receiving before the lease
        // store's last flush, and their sockets close only when the host is disposed.
        services.AddHostedService<WarmUpService>();
        if (dhcp)
        {
            services.AddHostedService<LeaseStoreService>();
        }

        services.AddHostedService<DhcpListenerService>();
        if (boot is not null)
        {
            if (boot.Tftp)
            {
                services.AddHostedService<TftpService>();
            }

            services.AddHostedService<HttpBootService>();
        }

        if (dhcp)
        {
            services.AddHostedService<LeaseReclaimService>();
        }

        if (hostOptions.ReloadOnSignal)
        {
            services.AddHostedService<ReloadSignalService>();
        }

        return services;
    }

    private static DhcpPipelines CreatePipelines(IServiceProvider services, DhcpSharpSettings settings, DhcpSharpHostOptions hostOptions)
    {
        var engine = services.GetService<DhcpServerEngine>();
        var policy = services.GetService<BootPolicyHolder>();
        var metrics = services.GetRequiredService<DhcpServerMetrics>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("DhcpSharp");
        ProxyScope? proxy = settings.Boot is { Proxy: true } boot && policy is not null
            ? new ProxyScope(boot.ProxyInterfaces.Count > 0 ? boot.ProxyInterfaces.ToHashSet(StringComparer.Ordinal) : null)
            : null;
        DhcpPipeline? dhcpPort = engine is not null || proxy is not null
            ? new DhcpPipeline(DhcpPipelineComposer.ForDhcpPort(engine, policy, proxy, hostOptions.Callbacks, hostOptions.ConfigurePipeline), metrics, logger) { TraceTransactions = hostOptions.TraceTransactions }
            : null;
        DhcpPipeline? bootServerPort = proxy is not null
            ? new DhcpPipeline(DhcpPipelineComposer.ForBootServerPort(policy!, hostOptions.Callbacks, hostOptions.ConfigurePipeline), metrics, logger) { TraceTransactions = hostOptions.TraceTransactions }
            : null;
        return new DhcpPipelines(dhcpPort, bootServerPort);
    }
}
