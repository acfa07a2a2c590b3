using System.Net.NetworkInformation;
using System.Net.Sockets;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Transport;

/// <summary>A network interface the server listens on, with its IPv4 address.</summary>
public sealed record InterfaceBinding(string Name, int Index, IPv4Address Address, IPv4Network Network)
{
    /// <summary>Looks up the named interfaces; each must exist, be up and have an IPv4 address.</summary>
    public static IReadOnlyList<InterfaceBinding> Resolve(IEnumerable<string> names)
    {
        var all = Snapshot();
        return names.Select(name => all.FirstOrDefault(i => i.Name == name)
            ?? throw new ConfigurationException("interfaces", $"interface \"{name}\" does not exist, is down, or has no IPv4 address (have: {string.Join(", ", all.Select(i => i.Name))})")).ToList();
    }

    /// <summary>Every up, non-loopback interface with an IPv4 address (first address of each).</summary>
    public static IReadOnlyList<InterfaceBinding> Snapshot()
    {
        var result = new List<InterfaceBinding>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
            {
                continue;
            }

            var properties = nic.GetIPProperties();
            var unicast = properties.UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
            if (unicast is null)
            {
                continue;
            }

            int index = properties.GetIPv4Properties()?.Index ?? 0;
            var address = IPv4Address.FromIPAddress(unicast.Address);
            result.Add(new InterfaceBinding(nic.Name, index, address, new IPv4Network(address, unicast.PrefixLength)));
        }

        return result;
    }
}
