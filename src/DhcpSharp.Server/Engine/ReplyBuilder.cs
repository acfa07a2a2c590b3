using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Fills a reply's options. Precedence (later wins): global, subnet, pool, each matching class
/// in configuration order, reservation. With a parameter request list (55) only requested
/// options are sent, plus the always-send list and those RFC 2131 requires; without one (BOOTP,
/// some embedded clients) every configured option is sent.
/// </summary>
internal sealed class ReplyBuilder(DhcpServerOptions options)
{
    private static readonly HashSet<byte> Mandatory =
    [
        DhcpOptionCode.MessageType, DhcpOptionCode.ServerIdentifier, DhcpOptionCode.LeaseTime,
        DhcpOptions.RenewalTime.Code, DhcpOptions.RebindingTime.Code, DhcpOptions.Message.Code,
    ];

    public TimeSpan LeaseTimeFor(DhcpRequestContext context) =>
        context.Subnet?.Options.LeaseTime ?? options.LeaseTime;

    /// <summary>A reply carrying lease, configured options and identity echoes.</summary>
    public DhcpMessage Build(DhcpRequestContext context, DhcpMessageType type, IPv4Address yourAddress, TimeSpan? leaseTime)
    {
        var request = context.Request;
        var reply = request.CreateReply(type);
        reply.YourAddress = yourAddress;
        if (type == DhcpMessageType.Ack && !request.ClientAddress.IsAny)
        {
            reply.ClientAddress = request.ClientAddress;
        }

        var values = new Dictionary<byte, byte[]>();
        var order = new List<byte>();
        void Merge(OptionSet set)
        {
            foreach (var (code, value) in set.Values)
            {
                if (values.TryAdd(code, value))
                {
                    order.Add(code);
                }
                else
                {
                    values[code] = value;
                }
            }
        }

        if (context.Subnet is { } subnet)
        {
            // The mask follows from the subnet (node-dhcp guessed it from the range).
            Merge(new OptionSet().Set(DhcpOptions.SubnetMask, subnet.Network.Mask));
        }

        Merge(options.Options);
        if (context.Subnet is { } configured)
        {
            Merge(configured.Options.Options);
            if (!yourAddress.IsAny && configured.Link.PoolOf(yourAddress) is { } pool)
            {
                Merge(pool.Options.Options);
            }
        }

        foreach (var definition in options.Classes)
        {
            if (context.Classes.Contains(definition.Name))
            {
                Merge(definition.Options);
            }
        }

        if (context.Reservation is { } reservation)
        {
            Merge(reservation.Options);
            if (reservation.HostName is { } name)
            {
                Merge(new OptionSet().Set(DhcpOptions.HostName, name));
            }
        }

        reply.Options.SetRaw(DhcpOptionCode.ServerIdentifier, OptionCodecs.IPv4.Encode(context.ServerIdentifier));
        if (leaseTime is { } lease)
        {
            uint seconds = lease == Timeout.InfiniteTimeSpan ? uint.MaxValue : (uint)Math.Min(lease.TotalSeconds, uint.MaxValue - 1);
            reply.Options.Set(DhcpOptions.LeaseTime, seconds);
            if (seconds != uint.MaxValue)
            {
                reply.Options.Set(DhcpOptions.RenewalTime, (uint)(options.RenewalTime?.TotalSeconds ?? seconds * 0.5));
                reply.Options.Set(DhcpOptions.RebindingTime, (uint)(options.RebindingTime?.TotalSeconds ?? seconds * 0.875));
            }
        }

        var requested = request.Options.TryGet(DhcpOptions.ParameterRequestList, out var list) ? list : null;
        foreach (var code in order)
        {
            if (requested is null || requested.Contains(code) || options.AlwaysSend.Contains(code) || Mandatory.Contains(code))
            {
                if (code is not (DhcpOptionCode.LeaseTime or DhcpOptionCode.ServerIdentifier) || !reply.Options.Contains(code))
                {
                    reply.Options.SetRaw(code, values[code]);
                }
            }
        }

        EchoIdentity(request, reply);
        return reply;
    }

    /// <summary>A NAK: only 53, 54, an optional message and the echoes (RFC 2131 table 3).</summary>
    public static DhcpMessage BuildNak(DhcpRequestContext context, string reason)
    {
        var reply = context.Request.CreateReply(DhcpMessageType.Nak);
        reply.Options.SetRaw(DhcpOptionCode.ServerIdentifier, OptionCodecs.IPv4.Encode(context.ServerIdentifier));
        reply.Options.Set(DhcpOptions.Message, reason);
        // RFC 2131: a NAK to a client without giaddr goes broadcast, so the flag is set for relays too.
        reply.IsBroadcast = !context.Request.GatewayAddress.IsAny || reply.IsBroadcast;
        EchoIdentity(context.Request, reply);
        return reply;
    }

    /// <summary>RFC 6842: echo the client identifier; RFC 3046: return option 82 to the relay unchanged.</summary>
    private static void EchoIdentity(DhcpMessage request, DhcpMessage reply)
    {
        if (request.Options.TryGetRaw(DhcpOptionCode.ClientIdentifier, out var clientId))
        {
            reply.Options.SetRaw(DhcpOptionCode.ClientIdentifier, clientId);
        }

        if (!request.GatewayAddress.IsAny && request.Options.TryGetRaw(DhcpOptionCode.RelayAgentInformation, out var relay))
        {
            reply.Options.SetRaw(DhcpOptionCode.RelayAgentInformation, relay);
        }
    }
}
