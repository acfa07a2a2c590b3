using DhcpSharp.Boot.Configuration;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Application;

/// <summary>
/// Builds a <see cref="DhcpSharpApplication"/>: the settings (from a file, or the shortcuts
/// below), typed async callbacks, extra stages, and anything else through <see cref="Host"/>
/// (logging, services, your own lease store).
/// </summary>
public sealed class DhcpSharpApplicationBuilder
{
    private readonly MessageEventStage _messages = new(null);

    internal DhcpSharpApplicationBuilder(string[]? args)
    {
        // No defaults: no configuration-file watchers or environment providers a DHCP server does not need.
        Host = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
        Host.Logging.AddSimpleConsole(o => o.SingleLine = true);
        Options.ConfigurePipeline.Add(builder => builder.Add(_messages, DhcpStageOrder.Validation + 1));
    }

    /// <summary>The Generic Host underneath: services, logging, configuration.</summary>
    public HostApplicationBuilder Host { get; }

    /// <summary>What to serve; empty by default (set it, load a file, or use the shortcuts).</summary>
    public DhcpSharpSettings Settings { get; set; } = new();

    public DhcpSharpHostOptions Options { get; } = new();

    /// <summary>Everything from one configuration file (schema: schemas/dhcpsharp.schema.json); <see cref="DhcpSharpApplication.Reload"/> and SIGHUP can read it again.</summary>
    public DhcpSharpApplicationBuilder UseConfigurationFile(string path)
    {
        Settings = DhcpSharpConfiguration.LoadFile(path);
        Options.SettingsSource = () => DhcpSharpConfiguration.LoadFile(path);
        return this;
    }

    /// <summary>proxyDHCP (67 + 4011) beside the network's own DHCP server, on these interfaces (none: every interface with an address).</summary>
    public DhcpSharpApplicationBuilder Proxy(params string[] interfaces)
    {
        Settings = Settings with { Interfaces = interfaces, Boot = (Settings.Boot ?? new BootSettings()) with { Proxy = true } };
        return this;
    }

    /// <summary>The directory TFTP and HTTP serve (created if missing).</summary>
    public DhcpSharpApplicationBuilder TftpRoot(string directory)
    {
        Settings = Settings with { Boot = (Settings.Boot ?? new BootSettings()) with { Root = directory } };
        return this;
    }

    /// <summary>
    /// node-dhcp's <c>bootFile: function (req)</c>, typed and async: the boot file for each
    /// network-boot client (architecture, MAC, vendor class, UUID, iPXE are on the request);
    /// null leaves the client to the boot rules.
    /// </summary>
    public DhcpSharpApplicationBuilder BootFile(Func<BootRequest, CancellationToken, ValueTask<string?>> choose)
    {
        ArgumentNullException.ThrowIfNull(choose);
        Options.BootCallback = async (request, cancellationToken) =>
            await choose(request, cancellationToken).ConfigureAwait(false) is { } file ? new BootAnswer { BootFile = file } : null;
        return this;
    }

    /// <summary>The DHCP server's callbacks (AcceptRequest, SelectAddress, BeforeReply).</summary>
    public DhcpSharpApplicationBuilder Callbacks(DhcpServerCallbacks callbacks)
    {
        Options.Callbacks = callbacks ?? throw new ArgumentNullException(nameof(callbacks));
        return this;
    }

    /// <summary>Adds a stage to the DHCP pipelines at <paramref name="order"/> (see <see cref="DhcpStageOrder"/>).</summary>
    public DhcpSharpApplicationBuilder AddStage(IRequestStage<DhcpRequestContext> stage, int order)
    {
        Options.ConfigurePipeline.Add(builder => builder.Add(stage, order));
        return this;
    }

    public DhcpSharpApplication Build()
    {
        Host.Services.AddDhcpSharp(Settings, Options);
        return new DhcpSharpApplication(Host.Build(), _messages);
    }
}
