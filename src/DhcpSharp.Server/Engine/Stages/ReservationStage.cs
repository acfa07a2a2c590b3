using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Server.Engine;

/// <summary>Finds the reservation that applies to a client on its link: client-id, then MAC, then MAC prefix.</summary>
public sealed class ReservationStage : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    public bool RunsUserCode => false;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Subnet is { } subnet)
        {
            context.Reservation = Find(subnet.Link, context.Request);
        }

        return StageResult.ContinueTask;
    }

    internal static ReservationOptions? Find(ServedLink link, DhcpMessage request)
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
