using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Configuration;

/// <summary>An IPv4 network in CIDR form.</summary>
public readonly record struct IPv4Network
{
    public IPv4Network(IPv4Address network, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        PrefixLength = prefixLength;
        Network = new IPv4Address(network.Value & MaskFor(prefixLength));
    }

    public IPv4Address Network { get; }

    public int PrefixLength { get; }

    public IPv4Address Mask => new(MaskFor(PrefixLength));

    public IPv4Address Broadcast => new(Network.Value | ~MaskFor(PrefixLength));

    public bool Contains(IPv4Address address) => (address.Value & MaskFor(PrefixLength)) == Network.Value;

    public static bool TryParse([NotNullWhen(true)] string? text, out IPv4Network network)
    {
        network = default;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0 || !IPv4Address.TryParse(text.AsSpan(0, slash), out var address) ||
            !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > 32)
        {
            return false;
        }

        network = new IPv4Network(address, prefix);
        return network.Network == address;
    }

    public static IPv4Network Parse(string text) =>
        TryParse(text, out var network) ? network : throw new FormatException($"'{text}' is not a network such as 192.0.2.0/24 (host bits must be zero).");

    public override string ToString() => $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static uint MaskFor(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
}
