using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DhcpSharp.Client;
using DhcpSharp.Client.Transport;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Cli.Commands;

/// <summary>
/// <c>dhcpsharp client --interface IF</c>: obtains and keeps a lease, prints each change and runs
/// a hook script with the lease in the environment. Like node-dhcp's client it never configures
/// the interface itself; the script does that (or nothing does, for diagnostics).
/// </summary>
internal static class ClientCommand
{
    public static Command Create()
    {
        var @interface = new Option<string>("--interface") { Description = "Interface to get a lease on (needs root: UDP port 68 and SO_BINDTODEVICE).", Required = true };
        var once = new Option<bool>("--once") { Description = "Exit after the first lease (status 0), or with status 1 when none comes within --timeout." };
        var json = new Option<bool>("--json") { Description = "One JSON object per lease change and line." };
        var releaseOnExit = new Option<bool>("--release-on-exit") { Description = "Send DHCPRELEASE when exiting (after --once, or on Ctrl+C/SIGTERM)." };
        var script = new Option<FileInfo?>("--script") { Description = "Executable run on every lease change, with DHCPSHARP_EVENT, DHCPSHARP_ADDRESS, ... in its environment." };
        var mac = new Option<string?>("--mac") { Description = "Hardware address to use in chaddr and the client identifier (default: the interface's)." };
        var hostName = new Option<string?>("--hostname") { Description = "Host name to send (option 12)." };
        var vendorClass = new Option<string?>("--vendor-class") { Description = "Vendor class identifier to send (option 60)." };
        var requestOptions = new Option<string[]>("--request-option") { Description = "Also ask for this option: code, key or name as 'dhcpsharp options' lists it (repeatable)." };
        var previous = new Option<string?>("--previous-address") { Description = "An address held before: ask for it back first (INIT-REBOOT)." };
        var timeout = new Option<double>("--timeout") { Description = "With --once: seconds to wait for a lease.", DefaultValueFactory = _ => 30 };
        var verbose = new Option<bool>("--verbose") { Description = "Log every message sent and every state change (to standard error)." };
        var command = new Command("client", "Obtain and keep a DHCP lease on an interface; print the lease and run a hook script on each change.")
        {
            @interface, once, json, releaseOnExit, script, mac, hostName, vendorClass, requestOptions, previous, timeout, verbose,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var flags = new ClientFlags(parse.GetValue(@interface)!, parse.GetValue(once), parse.GetValue(json), parse.GetValue(releaseOnExit),
                parse.GetValue(script)?.FullName, parse.GetValue(mac), parse.GetValue(hostName), parse.GetValue(vendorClass),
                parse.GetValue(requestOptions) ?? [], parse.GetValue(previous), TimeSpan.FromSeconds(parse.GetValue(timeout)), parse.GetValue(verbose));
            return RunAsync(flags, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(ClientFlags flags, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        DhcpClientOptions options;
        try
        {
            options = BuildOptions(flags);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            await error.WriteLineAsync($"dhcpsharp client: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        DhcpUdpClientTransport transport;
        try
        {
            transport = DhcpUdpClientTransport.Open(flags.Interface);
        }
        catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException)
        {
            await error.WriteLineAsync($"dhcpsharp client: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            })
            .SetMinimumLevel(flags.Verbose ? LogLevel.Debug : LogLevel.Warning));
        var printer = new LeaseChangePrinter(flags.Interface, flags.Json, output);
        var hook = flags.Script is null ? null : new HookScript(flags.Script, flags.Interface, error);
        await using (transport.ConfigureAwait(false))
        {
            var client = new DhcpClient(options, transport, TimeProvider.System, loggerFactory.CreateLogger("DhcpSharp.Client"));
            await using (client.ConfigureAwait(false))
            {
                // On the client's loop, so the script has configured (or unconfigured) the address before the client goes on.
                client.LeaseChanged += (_, change) =>
                {
                    printer.Print(change);
                    hook?.Run(change);
                };
                int status = await RunClientAsync(client, flags, error, cancellationToken).ConfigureAwait(false);
                if (flags.ReleaseOnExit && client.Lease is not null)
                {
                    using var releaseTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await client.ReleaseAsync("dhcpsharp client exiting", releaseTimeout.Token).ConfigureAwait(false);
                }

                return status;
            }
        }
    }

    private static async Task<int> RunClientAsync(DhcpClient client, ClientFlags flags, TextWriter error, CancellationToken cancellationToken)
    {
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        if (!flags.Once)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(flags.Timeout);
        try
        {
            await client.WaitForLeaseAsync(deadline.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            string stage = client.State switch
            {
                DhcpClientState.Selecting => "no server offered an address",
                DhcpClientState.Requesting => "the chosen server did not acknowledge the request",
                DhcpClientState.InitReboot => "no server answered the request for the previous address",
                _ => $"the client was in state {client.State}",
            };
            await error.WriteLineAsync($"dhcpsharp client: no lease on {flags.Interface} within {flags.Timeout.TotalSeconds:0.#} s: {stage}.").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
    }

    internal static DhcpClientOptions BuildOptions(ClientFlags flags)
    {
        if (flags.Timeout <= TimeSpan.Zero || flags.Timeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"--timeout: {flags.Timeout.TotalSeconds} is not a number of seconds between 0 and 86400");
        }

        byte[] mac = flags.Mac is { } text
            ? HardwareAddress.TryParse(text, out var parsed) ? parsed : throw new FormatException($"--mac: '{text}' is not a hardware address such as aa:bb:cc:dd:ee:ff")
            : NetworkInterfaceInfo.GetHardwareAddress(flags.Interface);
        var requested = DhcpClientOptions.DefaultParameterRequestList.Concat(DhcpClientOptions.ResolveOptionCodes(flags.RequestOptions)).Distinct().ToList();

        IPv4Address? previous = null;
        if (flags.PreviousAddress is { } address)
        {
            previous = IPv4Address.TryParse(address, out var value) ? value : throw new FormatException($"--previous-address: '{address}' is not an IPv4 address");
        }

        return new DhcpClientOptions
        {
            HardwareAddress = mac,
            ParameterRequestList = requested,
            HostName = flags.HostName,
            VendorClass = flags.VendorClass,
            PreviousAddress = previous,
        };
    }
}

internal sealed record ClientFlags(
    string Interface,
    bool Once,
    bool Json,
    bool ReleaseOnExit,
    string? Script,
    string? Mac,
    string? HostName,
    string? VendorClass,
    IReadOnlyList<string> RequestOptions,
    string? PreviousAddress,
    TimeSpan Timeout,
    bool Verbose);

/// <summary>A lease change as a line of text or a JSON object.</summary>
internal sealed class LeaseChangePrinter(string interfaceName, bool json, TextWriter output)
{
    public void Print(DhcpLeaseChange change)
    {
        output.WriteLine(json ? ToJson(change, interfaceName) : ToText(change, interfaceName));
        output.Flush();
    }

    internal static string ToText(DhcpLeaseChange change, string interfaceName)
    {
        if (change.Lease is not { } lease)
        {
            return $"{change.EventName} on {interfaceName}{(change.Message is { } m ? $": {m}" : "")}";
        }

        string prefix = lease.PrefixLength is { } length ? $"/{length}" : "";
        string times = lease.IsInfinite
            ? "infinite lease"
            : $"lease {Seconds(lease.LeaseTime)} s (renew after {Seconds(lease.RenewalTime)} s, rebind after {Seconds(lease.RebindingTime)} s)";
        var line = $"{change.EventName} {lease.Address}{prefix} on {interfaceName} from {lease.ServerIdentifier}: {times}";
        if (change.LosesAddress)
        {
            return change.Message is { } reason ? $"{line}; {reason}" : line;
        }

        var details = new List<string>();
        if (lease.Routers.Count > 0)
        {
            details.Add($"routers {string.Join(' ', lease.Routers)}");
        }

        if (lease.DnsServers.Count > 0)
        {
            details.Add($"dns {string.Join(' ', lease.DnsServers)}");
        }

        if (lease.DomainName is { } domain)
        {
            details.Add($"domain {domain}");
        }

        return details.Count > 0 ? $"{line}\n  {string.Join("; ", details)}" : line;
    }

    internal static string ToJson(DhcpLeaseChange change, string interfaceName) => MessageOutput.JsonLine(writer =>
    {
        writer.WriteString("event", change.EventName);
        writer.WriteString("time", MessageOutput.FormatTime(change.Time));
        writer.WriteString("interface", interfaceName);
        if (change.Message is { } message)
        {
            writer.WriteString("message", message);
        }

        if (change.Lease is not { } lease)
        {
            return;
        }

        writer.WriteString("address", lease.Address.ToString());
        WriteOptional(writer, "netmask", lease.SubnetMask?.ToString());
        if (lease.PrefixLength is { } prefix)
        {
            writer.WriteNumber("prefixLength", prefix);
        }

        WriteList(writer, "routers", lease.Routers);
        WriteList(writer, "dns", lease.DnsServers);
        WriteOptional(writer, "domain", lease.DomainName);
        WriteOptional(writer, "hostname", lease.HostName);
        WriteOptional(writer, "broadcast", lease.BroadcastAddress?.ToString());
        WriteList(writer, "ntp", lease.NtpServers);
        writer.WriteString("server", lease.ServerIdentifier.ToString());
        WriteSeconds(writer, "leaseTime", lease, lease.LeaseTime);
        WriteSeconds(writer, "renewalTime", lease, lease.RenewalTime);
        WriteSeconds(writer, "rebindingTime", lease, lease.RebindingTime);
        writer.WriteString("obtainedAt", MessageOutput.FormatTime(lease.ObtainedAt));
        WriteOptional(writer, "expiresAt", lease.IsInfinite ? null : MessageOutput.FormatTime(lease.ExpiresAt));
        MessageOutput.WriteOptions(writer, lease.Options);
    });

    private static long Seconds(TimeSpan span) => (long)span.TotalSeconds;

    private static void WriteSeconds(Utf8JsonWriter writer, string name, DhcpLease lease, TimeSpan value)
    {
        if (lease.IsInfinite)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteNumber(name, Seconds(value));
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<IPv4Address> addresses)
    {
        writer.WriteStartArray(name);
        foreach (var address in addresses)
        {
            writer.WriteStringValue(address.ToString());
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// The hook script: run once per change with the lease in DHCPSHARP_* variables, waited for
/// (so the address is configured before the client carries on), like dhclient-script.
/// </summary>
internal sealed class HookScript(string path, string interfaceName, TextWriter error)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public void Run(DhcpLeaseChange change)
    {
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (var (name, value) in Environment(change, interfaceName))
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                error.WriteLine($"dhcpsharp client: {path} ({change.EventName}) did not finish within {Patience.TotalSeconds} s and was killed");
            }
            else if (process.ExitCode != 0)
            {
                error.WriteLine($"dhcpsharp client: {path} ({change.EventName}) exited with status {process.ExitCode}");
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            error.WriteLine($"dhcpsharp client: cannot run {path}: {e.Message}");
        }
    }

    /// <summary>The variables a script sees; lists are space-separated, absent values are empty.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Environment(DhcpLeaseChange change, string interfaceName)
    {
        var lease = change.Lease;
        var variables = new List<KeyValuePair<string, string>>
        {
            new("DHCPSHARP_EVENT", change.EventName),
            new("DHCPSHARP_INTERFACE", interfaceName),
            new("DHCPSHARP_MESSAGE", change.Message ?? ""),
            new("DHCPSHARP_ADDRESS", lease?.Address.ToString() ?? ""),
            new("DHCPSHARP_NETMASK", lease?.SubnetMask?.ToString() ?? ""),
            new("DHCPSHARP_PREFIX_LENGTH", lease?.PrefixLength?.ToString(CultureInfo.InvariantCulture) ?? ""),
            new("DHCPSHARP_BROADCAST", lease?.BroadcastAddress?.ToString() ?? ""),
            new("DHCPSHARP_ROUTERS", lease is null ? "" : string.Join(' ', lease.Routers)),
            new("DHCPSHARP_DNS", lease is null ? "" : string.Join(' ', lease.DnsServers)),
            new("DHCPSHARP_DOMAIN", lease?.DomainName ?? ""),
            new("DHCPSHARP_HOSTNAME", lease?.HostName ?? ""),
            new("DHCPSHARP_NTP", lease is null ? "" : string.Join(' ', lease.NtpServers)),
            new("DHCPSHARP_MTU", lease?.InterfaceMtu?.ToString(CultureInfo.InvariantCulture) ?? ""),
            new("DHCPSHARP_SERVER", lease?.ServerIdentifier.ToString() ?? ""),
            new("DHCPSHARP_LEASE_TIME", Seconds(lease, l => l.LeaseTime)),
            new("DHCPSHARP_RENEWAL_TIME", Seconds(lease, l => l.RenewalTime)),
            new("DHCPSHARP_REBINDING_TIME", Seconds(lease, l => l.RebindingTime)),
            new("DHCPSHARP_OLD_ADDRESS", change.PreviousLease is { } old && old.Address != lease?.Address ? old.Address.ToString() : ""),
        };
        foreach (var option in lease?.Options ?? [])
        {
            variables.Add(new($"DHCPSHARP_OPTION_{option.Code.ToString(CultureInfo.InvariantCulture)}", Convert.ToHexStringLower(option.Value)));
        }

        return variables;
    }

    private static string Seconds(DhcpLease? lease, Func<DhcpLease, TimeSpan> time) =>
        lease is null ? "" : lease.IsInfinite ? "infinite" : ((long)time(lease).TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
