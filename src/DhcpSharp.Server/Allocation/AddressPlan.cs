using DhcpSharp.Protocol;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Allocation;

/// <summary>
/// Every served subnet and pool, built once from configuration: exclusions and reserved
/// addresses are taken out of the free lists up front, so no request ever scans a pool.
/// </summary>
public sealed class AddressPlan
{
    public AddressPlan(DhcpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var subnets = new List<ServedSubnet>();
        var reserved = new Dictionary<IPv4Address, ReservationOptions>();
        foreach (var subnetOptions in options.Subnets)
        {
            var pools = new List<ServedPool>();
            foreach (var poolOptions in subnetOptions.Pools)
            {
                var pool = new AddressPool(poolOptions.First, poolOptions.Last);
                foreach (var exclusion in poolOptions.Exclusions)
                {
                    for (ulong a = exclusion.First.Value; a <= exclusion.Last.Value; a++)
                    {
                        pool.Block(new IPv4Address((uint)a));
                    }
                }

                // The network and broadcast addresses are never leasable.
                pool.Block(subnetOptions.Network.Network);
                pool.Block(subnetOptions.Network.Broadcast);
                pools.Add(new ServedPool(poolOptions, pool));
            }

            foreach (var reservation in subnetOptions.Reservations)
            {
                if (reservation.Address is { } address)
                {
                    reserved[address] = reservation;
                    foreach (var pool in pools)
                    {
                        pool.Addresses.Block(address);
                    }
                }
            }

            subnets.Add(new ServedSubnet(subnetOptions, pools));
        }

        var links = new List<ServedLink>();
        foreach (var group in subnets.GroupBy(s => s.Options.SharedNetwork ?? s.Network.ToString()))
        {
            var link = new ServedLink(group.Key, [.. group], this);
            foreach (var subnet in group)
            {
                subnet.Link = link;
            }

            links.Add(link);
        }

        Subnets = subnets;
        Links = links;
        ReservedAddresses = reserved;
    }

    public IReadOnlyList<ServedSubnet> Subnets { get; }

    public IReadOnlyList<ServedLink> Links { get; }

    /// <summary>Addresses held for one client each, never handed to anyone else.</summary>
    public IReadOnlyDictionary<IPv4Address, ReservationOptions> ReservedAddresses { get; }

    public ServedSubnet? SubnetContaining(IPv4Address address)
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

    public ServedLink? LinkContaining(IPv4Address address) => SubnetContaining(address)?.Link;

    /// <summary>The pool an address belongs to, on any link (null: in no pool).</summary>
    public ServedPool? PoolContaining(IPv4Address address) => LinkContaining(address)?.PoolOf(address);
}
