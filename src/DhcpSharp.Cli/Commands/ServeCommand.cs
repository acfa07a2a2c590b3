using System.CommandLine;
using System.Text.Json.Nodes;
using DhcpSharp.Boot.Configuration;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Hosting.Application;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.PostgreSql;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DhcpSharp.Cli.Commands;

/// <summary>
/// <c>dhcpsharp serve</c>: the daemon. Either a configuration file (<c>--config</c>) or quick
/// flags for one subnet; the flags are turned into the same JSON the file would hold, so both go
/// through one validator and fail with the same key names.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON configuration file (schema: schemas/dhcpsharp.schema.json). SIGHUP reloads it." };
        var interfaces = new Option<string[]>("--interface") { Description = "Interface to serve (repeatable). Default: every interface with an address in a configured subnet.", AllowMultipleArgumentsPerToken = false };
        var range = new Option<string?>("--range") { Description = "Dynamic pool, START-END (e.g. 192.168.1.100-192.168.1.200)." };
        var subnet = new Option<string?>("--subnet") { Description = "Subnet of the pool in CIDR form; default: the network of the single --interface." };
        var router = new Option<string[]>("--router") { Description = "Default gateway (option 3); repeatable." };
        var dns = new Option<string[]>("--dns") { Description = "DNS server (option 6); repeatable." };
        var leaseTime = new Option<uint?>("--lease-time") { Description = "Lease time in seconds (default 3600)." };
        var leases = new Option<string?>("--leases") { Description = $"Lease store: an SQLite file (default {DhcpSharpSettings.DefaultLeaseFile}) or postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE shared by several servers." };
        var serverName = new Option<string?>("--server-name") { Description = "This server's name in the lease rows it writes; each server sharing one lease database needs its own (default: the host name)." };
        var port = new Option<int?>("--port") { Description = "UDP port to listen on (default 67)." };
        var trace = new Option<bool>("--trace") { Description = "Log every request and reply decoded (like dnsmasq's log-dhcp)." };
        var proxy = new Option<bool>("--proxy") { Description = "proxyDHCP: give PXE/HTTP-boot clients their boot file beside an existing DHCP server (ports 67 and 4011); hands out no addresses." };
        var tftpRoot = new Option<string?>("--tftp-root") { Description = $"Directory served by TFTP and HTTP (default {BootSettings.DefaultRoot}; created if missing)." };
        var boot = new Option<string[]>("--boot") { Description = "ARCH=FILE boot file per architecture (repeatable): bios, uefi-x64, uefi-ia32, uefi-arm64, http-uefi-x64, ipxe, or a code." };
        var httpPort = new Option<int?>("--http-port") { Description = $"Port of the HTTP boot server (default {BootSettings.DefaultHttpPort})." };
        var command = new Command("serve", "Run the DHCP server, proxyDHCP, TFTP and HTTP boot server. With no arguments: proxyDHCP + TFTP + HTTP on every interface, handing out no addresses.")
        {
            config, interfaces, range, subnet, router, dns, leaseTime, leases, serverName, port, trace, proxy, tftpRoot, boot, httpPort,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var flags = new ServeFlags(parse.GetValue(config)?.FullName, parse.GetValue(interfaces) ?? [], parse.GetValue(range), parse.GetValue(subnet),
                parse.GetValue(router) ?? [], parse.GetValue(dns) ?? [], parse.GetValue(leaseTime), parse.GetValue(leases), parse.GetValue(port), parse.GetValue(trace))
            {
                Proxy = parse.GetValue(proxy),
                TftpRoot = parse.GetValue(tftpRoot),
                Boot = parse.GetValue(boot) ?? [],
                HttpPort = parse.GetValue(httpPort),
                ServerName = parse.GetValue(serverName),
            };
            return RunAsync(flags, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(ServeFlags flags, TextWriter error, CancellationToken cancellationToken)
    {
        var builder = DhcpSharpApplication.CreateBuilder();
        try
        {
            builder.Settings = BuildSettings(flags);
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync($"dhcpsharp serve: configuration error: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        // SIGHUP reads the file again and applies the same flags on top.
        builder.Options.SettingsSource = flags.ConfigPath is null ? null : () => BuildSettings(flags);
        builder.Options.ReloadOnSignal = true;
        builder.Options.TraceTransactions = flags.Trace;
        var host = builder.Host;
        host.Services.AddSystemd();
        host.Services.AddSingleton<ILeaseStoreFactory>(new PostgreSqlLeaseStoreFactory());
        host.Logging.ClearProviders();
        host.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = !flags.Trace;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        host.Logging.SetMinimumLevel(flags.Trace ? LogLevel.Debug : LogLevel.Information);

        // Requests are handled on the receive thread: under a flood of bad requests (one NAK or
        // "no free address" line each) a full console queue must drop lines, not stall receiving.
        host.Services.Configure<ConsoleLoggerOptions>(o => o.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        host.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        try
        {
            await using var app = builder.Build();
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is ConfigurationException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"dhcpsharp serve: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Flags → the configuration file's JSON → the whole-file loader.</summary>
    internal static DhcpSharpSettings BuildSettings(ServeFlags flags)
    {
        bool quick = flags.Range is not null || flags.Subnet is not null || flags.Routers.Count > 0 || flags.Dns.Count > 0 || flags.LeaseTime is not null;
        if (flags.ConfigPath is not null && quick)
        {
            throw new ConfigurationException("--config", "give either --config or the quick flags (--range, --subnet, --router, --dns, --lease-time), not both");
        }

        DhcpSharpSettings settings;
        bool bootFlags = flags.Proxy || flags.TftpRoot is not null || flags.Boot.Count > 0 || flags.HttpPort is not null;
        if (flags.ConfigPath is not null)
        {
            settings = DhcpSharpConfiguration.LoadFile(flags.ConfigPath);
        }
        else if (flags.Range is not null)
        {
            settings = DhcpSharpConfiguration.Parse(QuickConfig(flags).ToJsonString(), "flags");
        }
        else if (quick)
        {
            throw new ConfigurationException("--range", "is required with --subnet, --router, --dns or --lease-time");
        }
        else
        {
            // The embedded default: safe on any LAN, it hands out no addresses.
            settings = new DhcpSharpSettings { Boot = new BootSettings { Proxy = true } };
        }

        if (bootFlags)
        {
            var boot = settings.Boot ?? new BootSettings();
            var overrides = new List<BootOverride>(boot.Overrides);
            foreach (var text in flags.Boot)
            {
                if (!BootPolicy.TryParseOverride(text, out var parsed, out var error))
                {
                    throw new ConfigurationException("--boot", error);
                }

                overrides.Add(parsed);
            }

            settings = settings with
            {
                Boot = boot with
                {
                    Proxy = boot.Proxy || flags.Proxy,
                    Root = flags.TftpRoot ?? boot.Root,
                    HttpPort = flags.HttpPort ?? boot.HttpPort,
                    Overrides = overrides,
                },
            };
        }

        return settings with
        {
            Interfaces = flags.Interfaces.Count > 0 ? flags.Interfaces : settings.Interfaces,
            LeaseFile = flags.Leases ?? settings.LeaseFile,
            ServerName = flags.ServerName ?? settings.ServerName,
            Port = flags.Port ?? settings.Port,
        };
    }

    private static JsonObject QuickConfig(ServeFlags flags)
    {
        string? subnet = flags.Subnet;
        if (subnet is null)
        {
            if (flags.Interfaces.Count != 1)
            {
                throw new ConfigurationException("--subnet", "is required unless exactly one --interface is given (its network is used)");
            }

            subnet = InterfaceBinding.Resolve(flags.Interfaces)[0].Network.ToString();
        }

        var options = new JsonObject();
        if (flags.Routers.Count > 0)
        {
            options["router"] = new JsonArray([.. flags.Routers.Select(r => JsonValue.Create(r))]);
        }

        if (flags.Dns.Count > 0)
        {
            options["dns"] = new JsonArray([.. flags.Dns.Select(d => JsonValue.Create(d))]);
        }

        var root = new JsonObject
        {
            ["subnets"] = new JsonArray(new JsonObject
            {
                ["subnet"] = subnet,
                ["pools"] = new JsonArray(new JsonObject { ["range"] = flags.Range }),
                ["options"] = options,
            }),
        };
        if (flags.LeaseTime is { } seconds)
        {
            root["leaseTime"] = seconds;
        }

        return root;
    }
}

internal sealed record ServeFlags(
    string? ConfigPath,
    IReadOnlyList<string> Interfaces,
    string? Range,
    string? Subnet,
    IReadOnlyList<string> Routers,
    IReadOnlyList<string> Dns,
    uint? LeaseTime,
    string? Leases,
    int? Port,
    bool Trace)
{
    public bool Proxy { get; init; }

    public string? TftpRoot { get; init; }

    public IReadOnlyList<string> Boot { get; init; } = [];

    public int? HttpPort { get; init; }

    public string? ServerName { get; init; }
}
