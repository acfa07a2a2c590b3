using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Client;

/// <summary>
/// Network parameters a server handed out: what an INFORM returns, and the part of a lease that
/// is not about the address. Typed properties cover what a host configures; <see cref="Options"/>
/// holds every option of the reply for the rest.
/// </summary>
public record DhcpConfiguration
{
    /// <summary>Option 54: the server that answered.</summary>
    public required IPv4Address ServerIdentifier { get; init; }

    public IPv4Address? SubnetMask { get; init; }

    /// <summary>Prefix length of <see cref="SubnetMask"/> (null when there is no mask or it is not contiguous).</summary>
    public int? PrefixLength => SubnetMask is { } mask && IsContiguous(mask.Value) ? BitOperations.PopCount(mask.Value) : null;

    public IReadOnlyList<IPv4Address> Routers { get; init; } = [];

    public IReadOnlyList<IPv4Address> DnsServers { get; init; } = [];

    public string? DomainName { get; init; }

    public string? HostName { get; init; }

    public IPv4Address? BroadcastAddress { get; init; }

    public IReadOnlyList<IPv4Address> NtpServers { get; init; } = [];

    public ushort? InterfaceMtu { get; init; }

    /// <summary>siaddr: the next (boot) server.</summary>
    public IPv4Address NextServer { get; init; }

    /// <summary>The file field, or option 67.</summary>
    public string? BootFileName { get; init; }

    /// <summary>Every option of the reply, raw, in the order the server sent them.</summary>
    public IReadOnlyList<DhcpOption> Options { get; init; } = [];

    /// <summary>Typed access to any option of the reply through the option table.</summary>
    public bool TryGetOption<T>(DhcpOptionDefinition<T> definition, [MaybeNullWhen(false)] out T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(definition);
        foreach (var option in Options)
        {
            if (option.Code == definition.Code)
            {
                return definition.TryDecode(option.Value, out value, out _);
            }
        }

        value = default;
        return false;
    }

    /// <summary>The parameters of a reply (ACK to an INFORM, or the configuration part of a lease).</summary>
    public static DhcpConfiguration FromReply(DhcpMessage reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return Fill(new DhcpConfiguration { ServerIdentifier = ServerOf(reply) }, reply);
    }

    private protected static IPv4Address ServerOf(DhcpMessage reply) =>
        reply.Options.GetOrDefault(DhcpOptions.ServerIdentifier, reply.ServerAddress);

    /// <summary>Copies the reply's parameters onto <paramref name="configuration"/>; the copy keeps its run-time type.</summary>
    private protected static DhcpConfiguration Fill(DhcpConfiguration configuration, DhcpMessage reply)
    {
        var options = reply.Options;
        string file = reply.BootFileName;
        return configuration with
        {
            SubnetMask = options.TryGet(DhcpOptions.SubnetMask, out var mask) ? mask : null,
            Routers = options.GetOrDefault(DhcpOptions.Router, []),
            DnsServers = options.GetOrDefault(DhcpOptions.DomainNameServers, []),
            DomainName = options.TryGet(DhcpOptions.DomainName, out var domain) ? domain : null,
            HostName = options.TryGet(DhcpOptions.HostName, out var host) ? host : null,
            BroadcastAddress = options.TryGet(DhcpOptions.BroadcastAddress, out var broadcast) ? broadcast : null,
            NtpServers = options.GetOrDefault(DhcpOptions.NtpServers, []),
            InterfaceMtu = options.TryGet(DhcpOptions.InterfaceMtu, out var mtu) ? mtu : null,
            NextServer = reply.ServerAddress,
            BootFileName = file.Length > 0 ? file : options.TryGet(DhcpOptions.BootFileName, out var bootFile) ? bootFile : null,
            Options = [.. options],
        };
    }

    private static bool IsContiguous(uint mask) => (~mask & (~mask + 1)) == 0;
}

/// <summary>An address bound to this client, with its timers as absolute times on the client's clock.</summary>
public sealed record DhcpLease : DhcpConfiguration
{
    public required IPv4Address Address { get; init; }

    /// <summary>Option 51; <see cref="Timeout.InfiniteTimeSpan"/> for an infinite lease.</summary>
    public required TimeSpan LeaseTime { get; init; }

    /// <summary>T1 (option 58, default half the lease).</summary>
    public required TimeSpan RenewalTime { get; init; }

    /// <summary>T2 (option 59, default 7/8 of the lease).</summary>
    public required TimeSpan RebindingTime { get; init; }

    /// <summary>When the REQUEST that won this lease was first sent: the lease runs from then (RFC 2131 §4.4.1).</summary>
    public required DateTimeOffset ObtainedAt { get; init; }

    public bool IsInfinite => LeaseTime == Timeout.InfiniteTimeSpan;

    public DateTimeOffset RenewAt => IsInfinite ? DateTimeOffset.MaxValue : ObtainedAt + RenewalTime;

    public DateTimeOffset RebindAt => IsInfinite ? DateTimeOffset.MaxValue : ObtainedAt + RebindingTime;

    public DateTimeOffset ExpiresAt => IsInfinite ? DateTimeOffset.MaxValue : ObtainedAt + LeaseTime;

    /// <summary>
    /// The lease an ACK grants. T1 and T2 the server did not send, or that contradict each other,
    /// fall back to RFC 2131 §4.4.5's 0.5 and 0.875 of the lease.
    /// </summary>
    public static DhcpLease FromAck(DhcpMessage ack, DateTimeOffset requestSentAt, TimeSpan fallbackLeaseTime)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var options = ack.Options;
        uint seconds = options.TryGet(DhcpOptions.LeaseTime, out var leaseSeconds) ? leaseSeconds : (uint)Math.Min(fallbackLeaseTime.TotalSeconds, uint.MaxValue - 1);
        TimeSpan lease, renewal, rebinding;
        if (seconds == uint.MaxValue)
        {
            lease = renewal = rebinding = Timeout.InfiniteTimeSpan;
        }
        else
        {
            lease = TimeSpan.FromSeconds(seconds);
            renewal = options.TryGet(DhcpOptions.RenewalTime, out var t1) ? TimeSpan.FromSeconds(t1) : lease * 0.5;
            rebinding = options.TryGet(DhcpOptions.RebindingTime, out var t2) ? TimeSpan.FromSeconds(t2) : lease * 0.875;
            if (rebinding > lease || rebinding <= TimeSpan.Zero)
            {
                rebinding = lease * 0.875;
            }

            if (renewal > rebinding || renewal <= TimeSpan.Zero)
            {
                renewal = rebinding < lease * 0.5 ? rebinding : lease * 0.5;
            }
        }

        return (DhcpLease)Fill(new DhcpLease
        {
            Address = ack.YourAddress,
            ServerIdentifier = ServerOf(ack),
            LeaseTime = lease,
            RenewalTime = renewal,
            RebindingTime = rebinding,
            ObtainedAt = requestSentAt,
        }, ack);
    }
}

/// <summary>One OFFER collected in SELECTING, for <see cref="DhcpClientOptions.OfferSelector"/>.</summary>
public sealed record DhcpOffer(IPv4Address Address, IPv4Address ServerIdentifier, TimeSpan? LeaseTime, DateTimeOffset ReceivedAt, DhcpConfiguration Configuration)
{
    internal static DhcpOffer FromMessage(DhcpMessage offer, DateTimeOffset receivedAt) => new(
        offer.YourAddress,
        offer.Options.GetOrDefault(DhcpOptions.ServerIdentifier, IPv4Address.Any),
        offer.Options.TryGet(DhcpOptions.LeaseTime, out var seconds) ? seconds == uint.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds) : null,
        receivedAt,
        DhcpConfiguration.FromReply(offer));
}
