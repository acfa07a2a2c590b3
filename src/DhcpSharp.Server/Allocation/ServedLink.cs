using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Allocation;

/// <summary>One broadcast domain: a subnet, or several sharing a shared-network name.</summary>
public sealed class ServedLink(string name, IReadOnlyList<ServedSubnet> subnets, AddressPlan plan)
{
    /// <summary>The plan (configuration) this link was built from; a reload makes a new one.</summary>
    public AddressPlan Plan { get; } = plan;

    public string Name { get; } = name;

    public IReadOnlyList<ServedSubnet> Subnets { get; } = subnets;

    public bool Contains(IPv4Address address) => SubnetOf(address) is not null;

    public ServedSubnet? SubnetOf(IPv4Address address)
    {
        foreach (var subnet in Subnets)
        {
            if (subnet.Network.Contains(address))
            {
                return subnet;
            }
        }

        return null;
    }

    public ServedPool? PoolOf(IPv4Address address)
    {
        foreach (var subnet in Subnets)
        {
            foreach (var pool in subnet.Pools)
            {
                if (pool.Addresses.Contains(address))
                {
                    return pool;
                }
            }
        }

        return null;
    }

    public IEnumerable<ServedPool> Pools => Subnets.SelectMany(s => s.Pools);
}
