using System.CommandLine;
using DhcpSharp.Cli.Commands;

namespace DhcpSharp.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("DhcpSharp: DHCP, proxyDHCP and network-boot server, and DHCP diagnostics.")
        {
            ServeCommand.Create(),
            DecodeCommand.Create(),
            OptionsCommand.Create(),
            ClientCommand.Create(),
            WatchCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
