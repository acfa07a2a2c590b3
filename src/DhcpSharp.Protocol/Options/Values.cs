using System.Globalization;
using System.Text;

namespace DhcpSharp.Protocol.Options;

/// <summary>A sub-option inside an encapsulating option (43, 82, 125, 175).</summary>
public sealed record SubOption(byte Code, byte[] Data);

/// <summary>Option 61: a type byte and the identifier (RFC 2132 §9.14; type 255 = RFC 4361 IAID + DUID).</summary>
public sealed record ClientIdentifier(byte Type, byte[] Identifier)
{
    /// <summary>RFC 2132's recommended form: hardware type 1 (Ethernet) and the MAC.</summary>
    public static ClientIdentifier FromHardwareAddress(ReadOnlySpan<byte> mac, byte hardwareType = 1) => new(hardwareType, mac.ToArray());

    public override string ToString() =>
        Type == 1 && Identifier.Length == 6
            ? $"hardware type 1, {HardwareAddress.Format(Identifier)}"
            : Type == 255 && Identifier.Length >= 4
                ? $"RFC 4361 IAID {OptionCodecs.Hex(Identifier.AsSpan(0, 4))} DUID {OptionCodecs.Hex(Identifier.AsSpan(4))}"
                : $"type {Type}, {OptionCodecs.Hex(Identifier)}";
}

/// <summary>One RFC 3442 route: destination network and router.</summary>
public readonly record struct ClasslessRoute(IPv4Address Destination, int PrefixLength, IPv4Address Router)
{
    public override string ToString() => $"{Destination}/{PrefixLength.ToString(CultureInfo.InvariantCulture)} via {Router}";
}

/// <summary>Option 81 (RFC 4702).</summary>
public sealed record ClientFqdn(ClientFqdnFlags Flags, byte RCode1, byte RCode2, string DomainName);

[Flags]
public enum ClientFqdnFlags : byte
{
    None = 0,
    /// <summary>S: the server should update the A record.</summary>
    ServerUpdate = 1,
    /// <summary>O: the server overrode the client's S choice.</summary>
    Override = 2,
    /// <summary>E: the name is in DNS wire format (else ASCII, deprecated).</summary>
    CanonicalEncoding = 4,
    /// <summary>N: no server updates at all.</summary>
    NoUpdate = 8,
}

/// <summary>Option 94 (RFC 4578): network interface identifier, type 1 = UNDI.</summary>
public readonly record struct ClientNetworkInterface(byte Type, byte Major, byte Minor)
{
    public override string ToString() => Type == 1 ? $"UNDI {Major}.{Minor}" : $"type {Type} {Major}.{Minor}";
}

/// <summary>Option 97 (RFC 4578): type 0 + a 16-byte machine GUID in SMBIOS byte order.</summary>
public sealed record ClientMachineId(byte Type, byte[] Identifier)
{
    /// <summary>The GUID as firmware setup screens print it (first three fields little-endian on the wire).</summary>
    public Guid? Guid => Type == 0 && Identifier.Length == 16 ? new Guid(Identifier) : null;

    public override string ToString() => Guid is { } guid ? guid.ToString() : $"type {Type}, {OptionCodecs.Hex(Identifier)}";
}

/// <summary>Option 77: RFC 3004 list of classes, or iPXE's raw (non-RFC) string such as "iPXE".</summary>
public sealed record UserClass(IReadOnlyList<byte[]> Classes, bool IsRfc3004)
{
    public static UserClass Raw(string text) => new([Encoding.UTF8.GetBytes(text)], false);

    public static UserClass Rfc3004(params string[] classes) => new(classes.Select(c => Encoding.UTF8.GetBytes(c)).ToArray(), true);

    public IEnumerable<string> ClassNames => Classes.Select(c => Encoding.UTF8.GetString(c));

    /// <summary>True when any class is exactly <paramref name="name"/> (so "iPXE" matches both forms).</summary>
    public bool Contains(string name) => ClassNames.Contains(name, StringComparer.Ordinal);
}

/// <summary>One enterprise block of option 124 (RFC 3925).</summary>
public sealed record VendorClassBlock(uint EnterpriseNumber, IReadOnlyList<byte[]> Classes);

/// <summary>One enterprise block of option 125 (RFC 3925).</summary>
public sealed record VendorOptionsBlock(uint EnterpriseNumber, IReadOnlyList<SubOption> Options);
