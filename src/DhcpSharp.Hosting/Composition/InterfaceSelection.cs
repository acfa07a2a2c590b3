using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Transport;

namespace DhcpSharp.Hosting.Composition;

/// <summary>Which interfaces the server listens on, resolved once at start.</summary>
public sealed class InterfaceSelection
{
    public InterfaceSelection(DhcpSharpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Interfaces = Resolve(settings);
    }

    public IReadOnlyList<InterfaceBinding> Interfaces { get; }

    private static List<InterfaceBinding> Resolve(DhcpSharpSettings settings)
    {
        if (settings.Interfaces.Count > 0)
        {
            return [.. InterfaceBinding.Resolve(settings.Interfaces)];
        }

        var all = InterfaceBinding.Snapshot();
        if (settings.Boot is { Proxy: true })
        {
            // A proxy serves any segment; by default every interface with an IPv4 address.
            return all.Count > 0 ? [.. all] : throw new ConfigurationException("interfaces", "no interface with an IPv4 address to serve");
        }

        // Default: every interface that has an address in a configured subnet (or is named by one).
        var served = all.Where(i => settings.Dhcp.Subnets.Any(s => s.Network.Contains(i.Address) || s.Interface == i.Name)).ToList();
        return served.Count > 0
            ? served
            : throw new ConfigurationException("interfaces", "no interface has an address in a configured subnet; name the interfaces to serve");
    }
}
