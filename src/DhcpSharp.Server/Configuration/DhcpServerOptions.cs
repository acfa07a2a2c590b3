using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Configuration.FileModel;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Option values by code, in configuration order. Levels merge with this precedence, later
/// winning: global &lt; subnet &lt; pool &lt; client class (in class order) &lt; reservation.
/// </summary>
public sealed class OptionSet
{
    private readonly List<KeyValuePair<byte, byte[]>> _values = [];

    public static OptionSet Empty { get; } = new();

    public IReadOnlyList<KeyValuePair<byte, byte[]>> Values => _values;

    public int Count => _values.Count;

    public OptionSet Set(byte code, byte[] value)
    {
        int index = _values.FindIndex(v => v.Key == code);
        if (index >= 0)
        {
            _values[index] = new(code, value);
        }
        else
        {
            _values.Add(new(code, value));
        }

        return this;
    }

    public OptionSet Set<T>(Protocol.Options.DhcpOptionDefinition<T> definition, T value)
        where T : notnull => Set(definition.Code, definition.Encode(value));

    public bool TryGet(byte code, out byte[] value)
    {
        foreach (var (key, data) in _values)
        {
            if (key == code)
            {
                value = data;
                return true;
            }
        }

        value = [];
        return false;
    }
}

/// <summary>A range of addresses, both ends included.</summary>
public readonly record struct AddressRange(IPv4Address First, IPv4Address Last)
{
    public bool Contains(IPv4Address address) => address >= First && address <= Last;

    public override string ToString() => First == Last ? First.ToString() : $"{First}-{Last}";
}

/// <summary>Validated server settings (the file form is <see cref="DhcpServerSection"/>; <see cref="DhcpServerSectionValidator"/> turns one into this).</summary>
public sealed record DhcpServerOptions
{
    public IReadOnlyList<SubnetOptions> Subnets { get; init; } = [];

    public IReadOnlyList<ClientClassOptions> Classes { get; init; } = [];

    public OptionSet Options { get; init; } = new();

    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(DhcpServerSection.DefaultLeaseTime);

    /// <summary>T1; default half the lease time (RFC 2131 §4.4.5).</summary>
    public TimeSpan? RenewalTime { get; init; }

    /// <summary>T2; default 0.875 of the lease time.</summary>
    public TimeSpan? RebindingTime { get; init; }

    /// <summary>How long an offered address is held for the client's REQUEST.</summary>
    public TimeSpan OfferTime { get; init; } = TimeSpan.FromSeconds(DhcpServerSection.DefaultOfferTime);

    /// <summary>How long a DECLINEd address stays out of use (RFC 2131 §3.1 step 5).</summary>
    public TimeSpan DeclineProbation { get; init; } = TimeSpan.FromSeconds(DhcpServerSection.DefaultDeclineProbation);

    /// <summary>An authoritative server NAKs a REQUEST for an address that is wrong for the client's network.</summary>
    public bool Authoritative { get; init; } = true;

    /// <summary>Give BOOTP clients dynamic addresses (reservations are always served).</summary>
    public bool DynamicBootp { get; init; }

    /// <summary>Options sent whether or not the client asked (node-dhcp's forceOptions).</summary>
    public IReadOnlyList<byte> AlwaysSend { get; init; } = [];

    /// <summary>ICMP echo before offering an address; an answer puts it on probation.</summary>
    public bool PingCheck { get; init; }

    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromMilliseconds(DhcpServerSection.DefaultPingTimeoutMs);

    /// <summary>Option 54 to send; default: the address of the interface the request came in on.</summary>
    public IPv4Address? ServerIdentifier { get; init; }
}

/// <summary>One subnet: its network, pools, reservations and options.</summary>
public sealed record SubnetOptions
{
    public required IPv4Network Network { get; init; }

    /// <summary>Subnets with the same shared-network name form one link: their pools are used together.</summary>
    public string? SharedNetwork { get; init; }

    /// <summary>Serve this subnet only for requests arriving directly on this interface (relayed requests choose by giaddr).</summary>
    public string? Interface { get; init; }

    public IReadOnlyList<PoolOptions> Pools { get; init; } = [];

    public IReadOnlyList<ReservationOptions> Reservations { get; init; } = [];

    public OptionSet Options { get; init; } = new();

    public TimeSpan? LeaseTime { get; init; }

    public override string ToString() => Network.ToString();
}

/// <summary>A dynamic range inside a subnet, with exclusions, class restriction and options.</summary>
public sealed record PoolOptions
{
    public required IPv4Address First { get; init; }

    public required IPv4Address Last { get; init; }

    public IReadOnlyList<AddressRange> Exclusions { get; init; } = [];

    /// <summary>When not empty, only clients in one of these classes get addresses from this pool.</summary>
    public IReadOnlyList<string> AllowedClasses { get; init; } = [];

    public OptionSet Options { get; init; } = new();
}

/// <summary>A fixed assignment. Exactly one of the three identities is set.</summary>
public sealed record ReservationOptions
{
    public byte[]? HardwareAddress { get; init; }

    /// <summary>Matches every client whose MAC starts with these bytes (an OUI, say); no fixed address then.</summary>
    public byte[]? HardwareAddressPrefix { get; init; }

    /// <summary>Option 61 value including its type byte.</summary>
    public byte[]? ClientIdentifier { get; init; }

    public IPv4Address? Address { get; init; }

    public string? HostName { get; init; }

    public OptionSet Options { get; init; } = new();
}

/// <summary>A client class: every condition that is set must match.</summary>
public sealed record ClientClassOptions
{
    public required string Name { get; init; }

    public string? VendorClassPrefix { get; init; }

    public string? VendorClassContains { get; init; }

    /// <summary>Matches option 77 in RFC 3004 or iPXE's raw form.</summary>
    public string? UserClass { get; init; }

    public IReadOnlyList<ProcessorArchitecture> Architectures { get; init; } = [];

    public byte[]? CircuitId { get; init; }

    public byte[]? RemoteId { get; init; }

    public byte[]? HardwareAddressPrefix { get; init; }

    public OptionSet Options { get; init; } = new();
}
