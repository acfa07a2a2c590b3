using System.CommandLine;
using DhcpSharp.Client.Monitoring;

namespace DhcpSharp.Cli.Commands;

/// <summary>
/// <c>dhcpsharp watch --interface IF [--json]</c>: every DHCP message on the wire of an interface,
/// in both directions and whoever it is addressed to, printed exactly as <c>decode</c> prints a capture.
/// </summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var @interface = new Option<string>("--interface") { Description = "Interface to watch (needs root or CAP_NET_RAW).", Required = true };
        var json = new Option<bool>("--json") { Description = "One JSON object per message and line (the fields of 'decode --json')." };
        var command = new Command("watch", "Print every DHCP/BOOTP message (UDP 67, 68, 4011) seen on an interface, decoded.") { @interface, json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(@interface)!, parse.GetValue(json), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string interfaceName, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        DhcpBroadcastListener listener;
        try
        {
            listener = new DhcpBroadcastListener(interfaceName);
        }
        catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException)
        {
            await error.WriteLineAsync($"dhcpsharp watch: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        await using (listener.ConfigureAwait(false))
        {
            // On standard error, like tcpdump's "listening on": scripts know when nothing is missed any more.
            await error.WriteLineAsync($"dhcpsharp watch: listening on {interfaceName} (UDP {string.Join(", ", DhcpBroadcastListener.DefaultPorts)})").ConfigureAwait(false);
            try
            {
                await foreach (var observed in listener.ListenAsync(cancellationToken).ConfigureAwait(false))
                {
                    MessageOutput.Write(observed.Time, observed.Datagram, observed.Message, observed.Error, json, output);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        return 0;
    }
}
