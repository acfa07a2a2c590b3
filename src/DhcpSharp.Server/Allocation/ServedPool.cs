using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Allocation;

/// <summary>A configured pool with its free-address list.</summary>
public sealed class ServedPool(PoolOptions options, AddressPool addresses)
{
    public PoolOptions Options { get; } = options;

    public AddressPool Addresses { get; } = addresses;

    public bool Admits(IReadOnlyList<string> classes) =>
        Options.AllowedClasses.Count == 0 || Options.AllowedClasses.Any(classes.Contains);
}
