using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Chooses the subnet a request belongs to, in this order: relay link-selection (82.5,
/// RFC 3527), subnet-selection (118, RFC 3011), giaddr (relayed), then the receiving interface.
/// </summary>
internal sealed class SubnetSelector(AddressPlan plan)
{
    public ServedSubnet? Select(DhcpRequestContext context)
    {
        var request = context.Request;
        if (request.Options.TryGet(DhcpOptions.RelayAgentInformation, out var relay))
        {
            foreach (var sub in relay)
            {
                if (sub.Code == 5 && sub.Data.Length == 4)
                {
                    return plan.SubnetContaining(IPv4Address.Read(sub.Data));
                }
            }
        }

        if (request.Options.TryGet(DhcpOptions.SubnetSelection, out var selected))
        {
            return plan.SubnetContaining(selected);
        }

        if (!request.GatewayAddress.IsAny)
        {
            return plan.SubnetContaining(request.GatewayAddress);
        }

        foreach (var subnet in plan.Subnets)
        {
            if (subnet.Options.Interface is { } name && string.Equals(name, context.Ingress.Name, StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        var local = plan.SubnetContaining(context.Ingress.LocalAddress);
        return local is not null && (local.Options.Interface is null || local.Options.Interface == context.Ingress.Name) ? local : null;
    }
}

/// <summary>Evaluates the configured client classes against a request (every set condition must match).</summary>
internal sealed class ClientClassifier(IReadOnlyList<ClientClassOptions> classes)
{
    public IReadOnlyList<ClientClassOptions> Definitions => classes;

    public IReadOnlyList<string> Classify(DhcpMessage request)
    {
        if (classes.Count == 0)
        {
            return [];
        }

        string? vendorClass = request.Options.TryGet(DhcpOptions.VendorClassIdentifier, out var v) ? v : null;
        var userClass = request.Options.TryGet(DhcpOptions.UserClass, out var u) ? u : null;
        var architectures = request.Options.TryGet(DhcpOptions.ClientArchitecture, out var a) ? a : null;
        var relay = request.Options.TryGet(DhcpOptions.RelayAgentInformation, out var r) ? r : null;
        var mac = request.ClientHardwareAddress;
        var matched = new List<string>();
        foreach (var definition in classes)
        {
            bool ok =
                (definition.VendorClassPrefix is null || (vendorClass?.StartsWith(definition.VendorClassPrefix, StringComparison.Ordinal) ?? false)) &&
                (definition.VendorClassContains is null || (vendorClass?.Contains(definition.VendorClassContains, StringComparison.Ordinal) ?? false)) &&
                (definition.UserClass is null || (userClass?.Contains(definition.UserClass) ?? false)) &&
                (definition.Architectures.Count == 0 || (architectures?.Any(definition.Architectures.Contains) ?? false)) &&
                (definition.CircuitId is null || SubOptionEquals(relay, 1, definition.CircuitId)) &&
                (definition.RemoteId is null || SubOptionEquals(relay, 2, definition.RemoteId)) &&
                (definition.HardwareAddressPrefix is null || mac.StartsWith(definition.HardwareAddressPrefix));
            if (ok)
            {
                matched.Add(definition.Name);
            }
        }

        return matched;
    }

    private static bool SubOptionEquals(IReadOnlyList<SubOption>? relay, byte code, byte[] expected) =>
        relay?.Any(s => s.Code == code && s.Data.AsSpan().SequenceEqual(expected)) ?? false;
}

/// <summary>Finds the reservation that applies to a client on a link: client-id, then MAC, then MAC prefix.</summary>
internal static class ReservationFinder
{
    public static ReservationOptions? Find(ServedLink link, DhcpMessage request)
    {
        var clientId = request.Options.GetRaw(DhcpOptionCode.ClientIdentifier);
        var mac = request.ClientHardwareAddress;
        ReservationOptions? byMac = null;
        ReservationOptions? byPrefix = null;
        foreach (var subnet in link.Subnets)
        {
            foreach (var reservation in subnet.Options.Reservations)
            {
                if (reservation.ClientIdentifier is { } id && clientId is not null && id.AsSpan().SequenceEqual(clientId))
                {
                    return reservation;
                }

                if (reservation.HardwareAddress is { } hw && mac.SequenceEqual(hw))
                {
                    byMac ??= reservation;
                }
                else if (reservation.HardwareAddressPrefix is { } prefix && mac.StartsWith(prefix))
                {
                    byPrefix ??= reservation;
                }
            }
        }

        return byMac ?? byPrefix;
    }
}
