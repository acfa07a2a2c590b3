using DhcpSharp.Protocol.Pxe;
using C = DhcpSharp.Protocol.Options.OptionCodecs;

namespace DhcpSharp.Protocol.Options;

/// <summary>
/// THE option table: every DHCPv4 option the codec knows, one row each (code, RFC name, config
/// key, value kind). Config keys follow node-dhcp where it had one. Options used by code get a
/// typed field, the rest are listed once in <see cref="Untyped"/>; <see cref="All"/> is every row.
/// </summary>
public static class DhcpOptions
{
    // Declared first: static fields initialise in text order, and every Def below appends here.
    private static readonly List<DhcpOptionDefinition> Rows = [];

    public static readonly DhcpOptionDefinition<IPv4Address> SubnetMask = Def(1, "Subnet Mask", "netmask", C.IPv4);
    public static readonly DhcpOptionDefinition<int> TimeOffset = Def(2, "Time Offset", "timeOffset", C.Int32);
    public static readonly DhcpOptionDefinition<IReadOnlyList<IPv4Address>> Router = Def(3, "Router", "router", C.IPv4List);
    public static readonly DhcpOptionDefinition<IReadOnlyList<IPv4Address>> DomainNameServers = Def(6, "Domain Name Server", "dns", C.IPv4List);
    public static readonly DhcpOptionDefinition<string> HostName = Def(12, "Host Name", "hostname", C.Text);
    public static readonly DhcpOptionDefinition<string> DomainName = Def(15, "Domain Name", "domainName", C.Text);
    public static readonly DhcpOptionDefinition<ushort> InterfaceMtu = Def(26, "Interface MTU", "mtuInterface", C.UInt16);
    public static readonly DhcpOptionDefinition<IPv4Address> BroadcastAddress = Def(28, "Broadcast Address", "broadcast", C.IPv4);
    public static readonly DhcpOptionDefinition<IReadOnlyList<IPv4Pair>> StaticRoutes = Def(33, "Static Route", "staticRoutes", C.IPv4Pairs);
    public static readonly DhcpOptionDefinition<IReadOnlyList<IPv4Address>> NtpServers = Def(42, "Network Time Protocol Servers", "ntpServer", C.IPv4List);
    public static readonly DhcpOptionDefinition<byte[]> VendorSpecific = Def(43, "Vendor-Specific Information", "vendor", new C.VendorSpecificCodec(() => DhcpOptionSpaces.Pxe));
    public static readonly DhcpOptionDefinition<IPv4Address> RequestedAddress = Def(50, "Requested IP Address", "requestedIpAddress", C.IPv4);
    public static readonly DhcpOptionDefinition<uint> LeaseTime = Def(51, "IP Address Lease Time", "leaseTime", C.UInt32);
    public static readonly DhcpOptionDefinition<byte> Overload = Def(52, "Option Overload", "overload", new C.NamedByteCodec("overload", new Dictionary<byte, string> { [1] = "file", [2] = "sname", [3] = "both" }));
    public static readonly DhcpOptionDefinition<byte> MessageType = Def(53, "DHCP Message Type", "messageType",
        new C.NamedByteCodec("message-type", Enumerable.Range(1, 18).ToDictionary(i => (byte)i, i => ((DhcpMessageType)i).ToWireName())));
    public static readonly DhcpOptionDefinition<IPv4Address> ServerIdentifier = Def(54, "Server Identifier", "server", C.IPv4);
    public static readonly DhcpOptionDefinition<IReadOnlyList<byte>> ParameterRequestList = Def(55, "Parameter Request List", "requestParameter", new C.ParameterRequestListCodec(() => DhcpOptionSpaces.Dhcp4));
    public static readonly DhcpOptionDefinition<string> Message = Def(56, "Message", "message", C.Text);
    public static readonly DhcpOptionDefinition<ushort> MaximumMessageSize = Def(57, "Maximum DHCP Message Size", "maxMessageSize", C.UInt16);
    public static readonly DhcpOptionDefinition<uint> RenewalTime = Def(58, "Renewal (T1) Time Value", "renewalTime", C.UInt32);
    public static readonly DhcpOptionDefinition<uint> RebindingTime = Def(59, "Rebinding (T2) Time Value", "rebindingTime", C.UInt32);
    public static readonly DhcpOptionDefinition<string> VendorClassIdentifier = Def(60, "Vendor Class Identifier", "vendorClassId", C.Text);
    public static readonly DhcpOptionDefinition<ClientIdentifier> ClientIdentifier = Def(61, "Client Identifier", "clientId", C.ClientIdentifierKind);
    public static readonly DhcpOptionDefinition<string> TftpServerName = Def(66, "TFTP Server Name", "tftpServer", C.Text);
    public static readonly DhcpOptionDefinition<string> BootFileName = Def(67, "Bootfile Name", "bootFile", C.Text);
    public static readonly DhcpOptionDefinition<UserClass> UserClass = Def(77, "User Class", "userClass", C.UserClassKind);
    public static readonly DhcpOptionDefinition<bool> RapidCommit = Def(80, "Rapid Commit", "rapidCommit", C.Presence);
    public static readonly DhcpOptionDefinition<ClientFqdn> ClientFqdn = Def(81, "Client FQDN", "clientFqdn", C.ClientFqdnKind);
    public static readonly DhcpOptionDefinition<IReadOnlyList<SubOption>> RelayAgentInformation =
        Def(82, "Relay Agent Information", "relayAgentInformation", new C.EncapsulatedCodec("relay-agent-information", () => DhcpOptionSpaces.RelayAgent, padAndEnd: false));
    public static readonly DhcpOptionDefinition<IReadOnlyList<ProcessorArchitecture>> ClientArchitecture = Def(93, "Client System Architecture", "clientArchitecture", C.ClientArchitectures);
    public static readonly DhcpOptionDefinition<ClientNetworkInterface> ClientNetworkInterface = Def(94, "Client Network Device Interface", "clientNetworkInterface", C.ClientNetworkInterfaceKind);
    public static readonly DhcpOptionDefinition<ClientMachineId> ClientMachineId = Def(97, "Client Machine Identifier", "clientMachineId", C.ClientMachineIdKind);
    public static readonly DhcpOptionDefinition<uint> Ipv6OnlyPreferred = Def(108, "IPv6-Only Preferred", "ipv6OnlyPreferred", C.UInt32);
    public static readonly DhcpOptionDefinition<string> CaptivePortal = Def(114, "Captive-Portal", "captivePortal", C.Text);
    public static readonly DhcpOptionDefinition<IPv4Address> SubnetSelection = Def(118, "Subnet Selection", "subnetSelection", C.IPv4);
    public static readonly DhcpOptionDefinition<IReadOnlyList<string>> DomainSearch = Def(119, "Domain Search", "domainSearchList", C.DomainSearchList);
    public static readonly DhcpOptionDefinition<IReadOnlyList<ClasslessRoute>> ClasslessStaticRoute = Def(121, "Classless Static Route", "classlessRoute", C.ClasslessRoutes);
    public static readonly DhcpOptionDefinition<IReadOnlyList<VendorClassBlock>> VendorIdentifyingClass = Def(124, "Vendor-Identifying Vendor Class", "vendorIdentifyingClass", C.VendorClassBlocks);
    public static readonly DhcpOptionDefinition<IReadOnlyList<VendorOptionsBlock>> VendorIdentifyingOptions = Def(125, "Vendor-Identifying Vendor-Specific Information", "vendorIdentifyingOptions", new C.VendorOptionsCodec());
    public static readonly DhcpOptionDefinition<IReadOnlyList<IPv4Address>> TftpServerAddress = Def(150, "TFTP Server Address", "tftpServerAddress", C.IPv4List);
    public static readonly DhcpOptionDefinition<IReadOnlyList<SubOption>> Ipxe =
        Def(175, "Etherboot/iPXE Encapsulated Options", "ipxe", new C.EncapsulatedCodec("ipxe-encapsulated", () => DhcpOptionSpaces.Ipxe, padAndEnd: true));
    public static readonly DhcpOptionDefinition<IReadOnlyList<ClasslessRoute>> MicrosoftClasslessStaticRoute = Def(249, "Microsoft Classless Static Route", "msClasslessRoute", C.ClasslessRoutes);
    public static readonly DhcpOptionDefinition<string> Wpad = Def(252, "Web Proxy Auto-Discovery", "wpad", C.Text);

    /// <summary>Rows that no code refers to by field; Def records them in <see cref="All"/> like the rest.</summary>
    private static readonly DhcpOptionDefinition[] Untyped =
    [
        Def(4, "Time Server", "timeServer", C.IPv4List),
        Def(5, "Name Server", "nameServer", C.IPv4List),
        Def(7, "Log Server", "logServer", C.IPv4List),
        Def(8, "Cookie Server", "cookieServer", C.IPv4List),
        Def(9, "LPR Server", "lprServer", C.IPv4List),
        Def(10, "Impress Server", "impressServer", C.IPv4List),
        Def(11, "Resource Location Server", "rscServer", C.IPv4List),
        Def(13, "Boot File Size", "bootFileSize", C.UInt16),
        Def(14, "Merit Dump File", "dumpFile", C.Text),
        Def(16, "Swap Server", "swapServer", C.IPv4),
        Def(17, "Root Path", "rootPath", C.Text),
        Def(18, "Extensions Path", "extensionPath", C.Text),
        Def(19, "IP Forwarding", "ipForwarding", C.Flag),
        Def(20, "Non-Local Source Routing", "nonLocalSourceRouting", C.Flag),
        Def(21, "Policy Filter", "policyFilter", C.IPv4Pairs),
        Def(22, "Maximum Datagram Reassembly Size", "maxDatagramSize", C.UInt16),
        Def(23, "Default IP Time-to-live", "datagramTTL", C.UInt8),
        Def(24, "Path MTU Aging Timeout", "mtuTimeout", C.UInt32),
        Def(25, "Path MTU Plateau Table", "mtuSizes", C.UInt16List),
        Def(27, "All Subnets are Local", "subnetsAreLocal", C.Flag),
        Def(29, "Perform Mask Discovery", "maskDiscovery", C.Flag),
        Def(30, "Mask Supplier", "maskSupplier", C.Flag),
        Def(31, "Perform Router Discovery", "routerDiscovery", C.Flag),
        Def(32, "Router Solicitation Address", "routerSolicitation", C.IPv4),
        Def(34, "Trailer Encapsulation", "trailerEncapsulation", C.Flag),
        Def(35, "ARP Cache Timeout", "arpCacheTimeout", C.UInt32),
        Def(36, "Ethernet Encapsulation", "ethernetEncapsulation", C.Flag),
        Def(37, "TCP Default TTL", "tcpTTL", C.UInt8),
        Def(38, "TCP Keepalive Interval", "tcpKeepalive", C.UInt32),
        Def(39, "TCP Keepalive Garbage", "tcpKeepaliveGarbage", C.Flag),
        Def(40, "Network Information Service Domain", "nisDomain", C.Text),
        Def(41, "Network Information Servers", "nisServer", C.IPv4List),
        Def(44, "NetBIOS over TCP/IP Name Server", "nbnsServer", C.IPv4List),
        Def(45, "NetBIOS over TCP/IP Datagram Distribution Server", "nbddServer", C.IPv4List),
        Def(46, "NetBIOS over TCP/IP Node Type", "nbNodeType", new C.NamedByteCodec("netbios-node-type", new Dictionary<byte, string> { [1] = "B-node", [2] = "P-node", [4] = "M-node", [8] = "H-node" })),
        Def(47, "NetBIOS over TCP/IP Scope", "nbScope", C.Text),
        Def(48, "X Window System Font Server", "xFontServer", C.IPv4List),
        Def(49, "X Window System Display Manager", "xDisplayManager", C.IPv4List),
        Def(62, "NetWare/IP Domain Name", "netwareIpDomain", C.Text),
        Def(63, "NetWare/IP Information", "netwareIpOption", C.Binary),
        Def(64, "Network Information Service+ Domain", "nisPlusDomain", C.Text),
        Def(65, "Network Information Service+ Servers", "nisPlusServer", C.IPv4List),
        Def(68, "Mobile IP Home Agent", "homeAgentAddresses", C.IPv4List),
        Def(69, "Simple Mail Transport Protocol (SMTP) Server", "smtpServer", C.IPv4List),
        Def(70, "Post Office Protocol (POP3) Server", "pop3Server", C.IPv4List),
        Def(71, "Network News Transport Protocol (NNTP) Server", "nntpServer", C.IPv4List),
        Def(72, "Default World Wide Web (WWW) Server", "wwwServer", C.IPv4List),
        Def(73, "Default Finger Server", "fingerServer", C.IPv4List),
        Def(74, "Default Internet Relay Chat (IRC) Server", "ircServer", C.IPv4List),
        Def(75, "StreetTalk Server", "streetTalkServer", C.IPv4List),
        Def(76, "StreetTalk Directory Assistance (STDA) Server", "streetTalkDAServer", C.IPv4List),
        Def(78, "SLP Directory Agent", "slpDirectoryAgent", C.Binary),
        Def(79, "SLP Service Scope", "slpServiceScope", C.Binary),
        Def(85, "NDS Servers", "ndsServer", C.IPv4List),
        Def(86, "NDS Tree Name", "ndsTreeName", C.Text),
        Def(87, "NDS Context", "ndsContext", C.Text),
        Def(88, "BCMCS Controller Domain Name List", "bcmcsDomainList", C.DomainSearchList),
        Def(89, "BCMCS Controller IPv4 Address", "bcmcsServer", C.IPv4List),
        Def(90, "Authentication", "authentication", C.Binary),
        Def(91, "Client Last Transaction Time", "clientLastTransactionTime", C.UInt32),
        Def(92, "Associated IP", "associatedIp", C.IPv4List),
        Def(95, "LDAP", "ldapServer", C.Text),
        Def(98, "User Authentication Protocol", "userAuthentication", C.Text),
        Def(99, "GeoConf Civic", "geoConfCivic", C.Binary),
        Def(100, "PCode (POSIX TZ string)", "posixTimezone", C.Text),
        Def(101, "TCode (tz database name)", "tzdbTimezone", C.Text),
        Def(112, "NetInfo Parent Server Address", "netinfoAddress", C.IPv4List),
        Def(113, "NetInfo Parent Server Tag", "netinfoTag", C.Text),
        Def(116, "Auto-Configure", "autoConfigure", new C.NamedByteCodec("auto-configure", new Dictionary<byte, string> { [0] = "DoNotAutoConfigure", [1] = "AutoConfigure" })),
        Def(117, "Name Service Search", "nameServiceSearch", C.UInt16List),
        Def(120, "SIP Servers", "sipServer", C.Binary),
        Def(122, "CableLabs Client Configuration", "cableLabsClientConfiguration", C.Binary),
        Def(123, "GeoConf", "geoConf", C.Binary),
        Def(128, "PXE vendor-specific 128 (TFTP server / Etherboot signature)", "pxeVendor128", C.Binary),
        Def(129, "PXE vendor-specific 129 (kernel options / call server)", "pxeVendor129", C.Binary),
        Def(130, "PXE vendor-specific 130 (discrimination string)", "pxeVendor130", C.Binary),
        Def(131, "PXE vendor-specific 131 (remote statistics server)", "pxeVendor131", C.Binary),
        Def(132, "PXE vendor-specific 132 (802.1Q VLAN ID)", "pxeVendor132", C.Binary),
        Def(133, "PXE vendor-specific 133 (802.1D/p priority)", "pxeVendor133", C.Binary),
        Def(134, "PXE vendor-specific 134 (diffserv code point)", "pxeVendor134", C.Binary),
        Def(135, "PXE vendor-specific 135 (HTTP proxy)", "pxeVendor135", C.Binary),
        Def(145, "Forcerenew Nonce Capable", "renewNonce", C.UInt8List),
        Def(208, "PXELINUX Magic", "pxeMagicOption", C.UInt32),
        Def(209, "PXELINUX Configuration File", "pxelinuxConfigFile", C.Text),
        Def(210, "PXELINUX Path Prefix", "pxelinuxPathPrefix", C.Text),
        Def(211, "PXELINUX Reboot Time", "pxelinuxRebootTime", C.UInt32),
        Def(212, "6RD", "sixRd", C.Binary),
        Def(213, "Access Network Domain Name", "accessDomain", C.DomainSearchList),
    ];

    /// <summary>Every row, in code order (declared after every row, so static initialisation has filled <see cref="Rows"/>).</summary>
    public static readonly IReadOnlyList<DhcpOptionDefinition> All = [.. Rows.OrderBy(d => d.Code)];

    private static DhcpOptionDefinition<T> Def<T>(byte code, string name, string key, OptionValueCodec<T> codec)
        where T : notnull
    {
        var definition = new DhcpOptionDefinition<T>(code, name, key, codec);
        Rows.Add(definition);
        return definition;
    }
}
