using DhcpSharp.Boot.Policy;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Hosting;

/// <summary>
/// What a host adds to the configuration file: the library's callbacks, extra pipeline stages,
/// where a reload gets new settings, and tracing. The daemon and library users fill the same object.
/// </summary>
public sealed class DhcpSharpHostOptions
{
    /// <summary>AcceptRequest, SelectAddress and BeforeReply.</summary>
    public DhcpServerCallbacks Callbacks { get; set; } = new();

    /// <summary>Decides a network-boot client's answer before the boot rules (node-dhcp's <c>bootFile(req)</c>); null: rules only.</summary>
    public Func<BootRequest, CancellationToken, ValueTask<BootAnswer?>>? BootCallback { get; set; }

    /// <summary>Changes to the DHCP pipelines (ports 67 and 4011): add, remove or replace stages.</summary>
    public IList<Action<RequestPipelineBuilder<DhcpRequestContext>>> ConfigurePipeline { get; } = [];

    /// <summary>Where SIGHUP (and <see cref="Composition.ConfigurationReloader.ReloadAsync"/>) reads the new settings; null: reload is not possible.</summary>
    public Func<DhcpSharpSettings>? SettingsSource { get; set; }

    /// <summary>Log every request and reply decoded (like dnsmasq's log-dhcp).</summary>
    public bool TraceTransactions { get; set; }

    /// <summary>Reload on SIGHUP (the daemon); off for library hosts that reload by calling the reloader.</summary>
    public bool ReloadOnSignal { get; set; }
}
