using DhcpSharp.Protocol.Pxe;
using C = DhcpSharp.Protocol.Options.OptionCodecs;

namespace DhcpSharp.Protocol.Options;

/// <summary>The option spaces the codec ships: DHCPv4 itself and the encapsulated ones.</summary>
public static class DhcpOptionSpaces
{
    /// <summary>
    /// The process-wide DHCPv4 table. <see cref="DhcpOptionSpace.Register"/> on it is node-dhcp's
    /// addOption; clone it instead to keep a change local.
    /// </summary>
    public static DhcpOptionSpace Dhcp4 { get; } = new("dhcp4", DhcpOptions.All);

    /// <summary>Option 43 sub-options for vendor class "PXEClient" (PXE 2.1).</summary>
    public static DhcpOptionSpace Pxe { get; } = new("pxe",
    [
        new DhcpOptionDefinition<IPv4Address>(1, "PXE MTFTP IP", "mtftpIp", C.IPv4),
        new DhcpOptionDefinition<ushort>(2, "PXE MTFTP client port", "mtftpClientPort", C.UInt16),
        new DhcpOptionDefinition<ushort>(3, "PXE MTFTP server port", "mtftpServerPort", C.UInt16),
        new DhcpOptionDefinition<byte>(4, "PXE MTFTP timeout", "mtftpTimeout", C.UInt8),
        new DhcpOptionDefinition<byte>(5, "PXE MTFTP delay", "mtftpDelay", C.UInt8),
        new DhcpOptionDefinition<byte>(6, "PXE discovery control", "discoveryControl", C.UInt8),
        new DhcpOptionDefinition<IPv4Address>(7, "PXE discovery multicast address", "discoveryMulticastAddress", C.IPv4),
        new DhcpOptionDefinition<IReadOnlyList<PxeBootServer>>(8, "PXE boot servers", "bootServers", PxeCodecs.BootServers),
        new DhcpOptionDefinition<IReadOnlyList<PxeMenuItem>>(9, "PXE boot menu", "bootMenu", PxeCodecs.BootMenu),
        new DhcpOptionDefinition<PxeMenuPrompt>(10, "PXE menu prompt", "menuPrompt", PxeCodecs.MenuPrompt),
        new DhcpOptionDefinition<byte[]>(11, "PXE multicast address allocation", "multicastAddressAllocation", C.Binary),
        new DhcpOptionDefinition<byte[]>(12, "PXE credential types", "credentialTypes", C.Binary),
        new DhcpOptionDefinition<PxeBootItem>(71, "PXE boot item", "bootItem", PxeCodecs.BootItem),
    ]);

    /// <summary>Option 82 sub-options (RFC 3046, 3527, 3993, 4030, 4243, 5010, 5107, 6925, 8357).</summary>
    public static DhcpOptionSpace RelayAgent { get; } = new("relay-agent",
    [
        new DhcpOptionDefinition<byte[]>(1, "Agent Circuit ID", "circuitId", C.Binary),
        new DhcpOptionDefinition<byte[]>(2, "Agent Remote ID", "remoteId", C.Binary),
        new DhcpOptionDefinition<byte[]>(4, "DOCSIS Device Class", "docsisDeviceClass", C.Binary),
        new DhcpOptionDefinition<IPv4Address>(5, "Link Selection", "linkSelection", C.IPv4),
        new DhcpOptionDefinition<string>(6, "Subscriber ID", "subscriberId", C.Text),
        new DhcpOptionDefinition<byte[]>(7, "RADIUS Attributes", "radiusAttributes", C.Binary),
        new DhcpOptionDefinition<byte[]>(8, "Authentication", "authentication", C.Binary),
        new DhcpOptionDefinition<byte[]>(9, "Vendor-Specific Information", "vendorSpecific", C.Binary),
        new DhcpOptionDefinition<byte>(10, "Relay Agent Flags", "flags", C.UInt8),
        new DhcpOptionDefinition<IPv4Address>(11, "Server Identifier Override", "serverIdentifierOverride", C.IPv4),
        new DhcpOptionDefinition<byte[]>(12, "Relay Agent Identifier", "relayId", C.Binary),
        new DhcpOptionDefinition<ushort>(19, "Relay Source Port", "relaySourcePort", C.UInt16),
        new DhcpOptionDefinition<byte[]>(151, "Virtual Subnet Selection", "virtualSubnetSelection", C.Binary),
        new DhcpOptionDefinition<bool>(152, "Virtual Subnet Selection Control", "virtualSubnetSelectionControl", C.Presence),
    ]);

    /// <summary>Option 175 sub-options (iPXE <c>include/ipxe/dhcp.h</c>): capability flags the client announces, settings a server may send.</summary>
    public static DhcpOptionSpace Ipxe { get; } = new("ipxe",
    [
        new DhcpOptionDefinition<byte>(0x01, "iPXE priority", "priority", C.UInt8),
        new DhcpOptionDefinition<byte>(0x08, "iPXE keep SAN", "keepSan", C.UInt8),
        new DhcpOptionDefinition<byte>(0x09, "iPXE skip SAN boot", "skipSanBoot", C.UInt8),
        Feature(0x10, "pxeext"), Feature(0x11, "iscsi"), Feature(0x12, "aoe"), Feature(0x13, "http"), Feature(0x14, "https"),
        Feature(0x15, "tftp"), Feature(0x16, "ftp"), Feature(0x17, "dns"), Feature(0x18, "bzimage"), Feature(0x19, "multiboot"),
        Feature(0x1a, "slam"), Feature(0x1b, "srp"), Feature(0x20, "nbi"), Feature(0x21, "pxe"), Feature(0x22, "elf"),
        Feature(0x23, "comboot"), Feature(0x24, "efi"), Feature(0x25, "fcoe"), Feature(0x26, "vlan"), Feature(0x27, "menu"),
        Feature(0x28, "sdi"), Feature(0x29, "nfs"),
        new DhcpOptionDefinition<string>(0x51, "iPXE scriptlet", "scriptlet", C.Text),
        new DhcpOptionDefinition<string>(0x55, "iPXE syslogs server", "syslogs", C.Text),
        new DhcpOptionDefinition<byte>(0xb0, "iPXE no proxyDHCP", "noPxeDhcp", C.UInt8),
        new DhcpOptionDefinition<byte[]>(0xb1, "iPXE bus ID", "busId", C.Binary),
        new DhcpOptionDefinition<byte>(0xbb, "iPXE SAN retry", "sanRetry", C.UInt8),
        new DhcpOptionDefinition<string>(0xbc, "iPXE SAN filename", "sanFilename", C.Text),
        new DhcpOptionDefinition<byte>(0xbd, "iPXE SAN drive", "sanDrive", C.UInt8),
        new DhcpOptionDefinition<string>(0xbe, "iPXE username", "username", C.Text),
        new DhcpOptionDefinition<string>(0xbf, "iPXE password", "password", C.Text),
        new DhcpOptionDefinition<string>(0xc0, "iPXE reverse username", "reverseUsername", C.Text),
        new DhcpOptionDefinition<string>(0xc1, "iPXE reverse password", "reversePassword", C.Text),
        new DhcpOptionDefinition<byte[]>(0xeb, "iPXE version", "version", C.Binary),
    ]);

    private static DhcpOptionDefinition<byte> Feature(byte code, string name) => new(code, $"iPXE feature {name}", name, C.UInt8);
}
