using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Allocation;

/// <summary>A configured subnet with its pools, as the allocator sees it.</summary>
public sealed class ServedSubnet
{
    internal ServedSubnet(SubnetOptions options, IReadOnlyList<ServedPool> pools)
    {
        Options = options;
        Pools = pools;
    }

    public SubnetOptions Options { get; }

    public IPv4Network Network => Options.Network;

    public IReadOnlyList<ServedPool> Pools { get; }

    /// <summary>The link (shared network) this subnet belongs to.</summary>
    public ServedLink Link { get; internal set; } = null!;

    public override string ToString() => Network.ToString();
}
