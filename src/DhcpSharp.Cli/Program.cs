using System.CommandLine;
using DhcpSharp.Cli.Commands;

namespace DhcpSharp.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("DhcpSharp: DHCP, proxyDHCP and network-boot server, and DHCP diagnostics.")
        {
            DecodeCommand.Create(),
            OptionsCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
