using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Client;

/// <summary>What a <see cref="DhcpClient"/> says about itself and how patiently it waits.</summary>
public sealed record DhcpClientOptions
{
    /// <summary>Options 1, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59: what dhclient and dhcpcd ask for by default.</summary>
    public static IReadOnlyList<byte> DefaultParameterRequestList { get; } = [1, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59];

    /// <summary>chaddr: the hardware address replies are matched against (normally the interface's MAC).</summary>
    public required byte[] HardwareAddress { get; init; }

    /// <summary>htype: 1 = Ethernet.</summary>
    public byte HardwareType { get; init; } = 1;

    /// <summary>Option 61. Null: RFC 2132's form, the hardware type and the MAC.</summary>
    public ClientIdentifier? ClientIdentifier { get; init; }

    /// <summary>Send option 61 at all (some embedded clients do not; servers then key on chaddr).</summary>
    public bool SendClientIdentifier { get; init; } = true;

    /// <summary>Option 55, in the order the server should see it.</summary>
    public IReadOnlyList<byte> ParameterRequestList { get; init; } = DefaultParameterRequestList;

    /// <summary>Option 12.</summary>
    public string? HostName { get; init; }

    /// <summary>Option 81 (RFC 4702).</summary>
    public ClientFqdn? Fqdn { get; init; }

    /// <summary>Option 60.</summary>
    public string? VendorClass { get; init; }

    /// <summary>Option 77.</summary>
    public UserClass? UserClass { get; init; }

    /// <summary>Further options for DISCOVER, REQUEST and INFORM, written as given.</summary>
    public IReadOnlyList<DhcpOption> AdditionalOptions { get; init; } = [];

    /// <summary>
    /// An address this client held before (a saved lease): start in INIT-REBOOT and ask for it
    /// back instead of discovering (RFC 2131 §3.2).
    /// </summary>
    public IPv4Address? PreviousAddress { get; init; }

    /// <summary>
    /// Ask servers to broadcast replies (RFC 2131 §4.1). Needed whenever the transport cannot
    /// receive a unicast to an address the operating system does not have yet: the Linux UDP
    /// transport cannot, because the kernel drops IP datagrams for addresses not on the host.
    /// </summary>
    public bool RequestBroadcastReplies { get; init; } = true;

    /// <summary>Option 57: the largest reply this client accepts.</summary>
    public ushort MaximumMessageSize { get; init; } = 1500;

    /// <summary>After the first OFFER, how long to wait for others before choosing.</summary>
    public TimeSpan OfferCollectionWindow { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Chooses among the collected offers. Default: the previous address if offered, else the first offer.</summary>
    public Func<IReadOnlyList<DhcpOffer>, DhcpOffer>? OfferSelector { get; init; }

    /// <summary>
    /// Random wait before the first DISCOVER, up to this long. RFC 2131 §4.4.1 suggests 1 to 10
    /// seconds so that a powered-up rack does not flood the server; zero for tools and tests.
    /// </summary>
    public TimeSpan MaximumStartDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Pause after a NAK before discovering again, so a misconfigured server cannot make a client spin.</summary>
    public TimeSpan NakDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Pause after a DECLINE before discovering again (RFC 2131 §3.1 step 5: at least ten seconds).</summary>
    public TimeSpan DeclineDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long INIT-REBOOT waits for an answer before falling back to discovery.</summary>
    public TimeSpan InitRebootTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>REQUEST (selecting) and INFORM transmissions before giving up (4, 8, 16, 32, 64 s apart).</summary>
    public int RequestAttempts { get; init; } = 5;

    /// <summary>Floor of the RENEWING/REBINDING retransmission wait (RFC 2131 §4.4.5: 60 seconds).</summary>
    public TimeSpan MinimumRenewalRetransmission { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Lease time assumed when an ACK lacks option 51 (a server bug; the RFC requires it).</summary>
    public TimeSpan FallbackLeaseTime { get; init; } = TimeSpan.FromHours(1);

    internal ClientIdentifier EffectiveClientIdentifier =>
        ClientIdentifier ?? ClientIdentifier.FromHardwareAddress(HardwareAddress, HardwareType);

    internal void Validate()
    {
        if (HardwareAddress is null || HardwareAddress.Length is 0 or > 16)
        {
            throw new ArgumentException("HardwareAddress must hold 1 to 16 bytes.", nameof(HardwareAddress));
        }

        if (RequestAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestAttempts), RequestAttempts, "at least one transmission is needed");
        }

        if (OfferCollectionWindow < TimeSpan.Zero || NakDelay < TimeSpan.Zero || DeclineDelay < TimeSpan.Zero || MaximumStartDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OfferCollectionWindow), "waits cannot be negative");
        }
    }

    /// <summary>A parameter request list from option names (see <see cref="ResolveOptionCode"/>), in order, without repeats.</summary>
    public static IReadOnlyList<byte> ResolveOptionCodes(IEnumerable<string> names, DhcpOptionSpace? table = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Select(name => ResolveOptionCode(name, table)).Distinct().ToList();
    }

    /// <summary>
    /// Option codes from names as operators write them: a code ("42"), a configuration key
    /// ("ntpServer", any case) or the RFC name ("Network Time Protocol Servers").
    /// </summary>
    public static byte ResolveOptionCode(string name, DhcpOptionSpace? table = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        table ??= DhcpOptionSpaces.Dhcp4;
        string trimmed = name.Trim();
        if (byte.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out byte code))
        {
            return code is DhcpOptionCode.Pad or DhcpOptionCode.End
                ? throw new ArgumentException($"option {code} cannot be requested.", nameof(name))
                : code;
        }

        if (table.TryGet(trimmed, out var byKey))
        {
            return byKey.Code;
        }

        return table.Definitions.FirstOrDefault(d => string.Equals(d.Name, trimmed, StringComparison.OrdinalIgnoreCase))?.Code
            ?? throw new ArgumentException($"'{name}' is not an option code, key or name (see 'dhcpsharp options').", nameof(name));
    }
}
