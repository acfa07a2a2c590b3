using DhcpSharp.Hosting.Configuration;

namespace DhcpSharp.Hosting.Composition;

/// <summary>The settings a reload cannot apply while running, by the configuration key an operator would look for.</summary>
internal static class ReloadDifferences
{
    public static IEnumerable<string> NotLive(DhcpSharpSettings current, DhcpSharpSettings next, bool dhcpRunning)
    {
        if (!current.Interfaces.SequenceEqual(next.Interfaces, StringComparer.Ordinal))
        {
            yield return "interfaces";
        }

        if (current.Port != next.Port)
        {
            yield return "port";
        }

        if (current.LeaseFile != next.LeaseFile)
        {
            yield return "leaseFile";
        }

        if (current.LeaseCommitDelay != next.LeaseCommitDelay)
        {
            yield return "leaseCommitDelayMs";
        }

        if (dhcpRunning != next.Dhcp.Subnets.Count > 0)
        {
            yield return dhcpRunning ? "subnets (removing every subnet stops the DHCP server)" : "subnets (the DHCP server was not running)";
        }

        if (current.Boot is null != next.Boot is null)
        {
            yield return "boot (adding or removing the section)";
        }
        else if (current.Boot is { } boot && next.Boot is { } nextBoot)
        {
            foreach (var (key, same) in new (string, bool)[]
            {
                ("boot.proxy", boot.Proxy == nextBoot.Proxy),
                ("boot.proxyInterfaces", boot.ProxyInterfaces.SequenceEqual(nextBoot.ProxyInterfaces, StringComparer.Ordinal)),
                ("boot.root", boot.Root == nextBoot.Root),
                ("boot.tftp", boot.Tftp == nextBoot.Tftp),
                ("boot.tftpPort", boot.TftpPort == nextBoot.TftpPort),
                ("boot.tftpSinglePort", boot.TftpSinglePort == nextBoot.TftpSinglePort),
                ("boot.tftpMaxBlockSize", boot.TftpMaximumBlockSize == nextBoot.TftpMaximumBlockSize),
                ("boot.tftpMaxWindowSize", boot.TftpMaximumWindowSize == nextBoot.TftpMaximumWindowSize),
                ("boot.http", boot.Http == nextBoot.Http),
                ("boot.httpPort", boot.HttpPort == nextBoot.HttpPort),
            })
            {
                if (!same)
                {
                    yield return key;
                }
            }
        }
    }
}
