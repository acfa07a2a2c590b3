namespace DhcpSharp.Protocol;

/// <summary>Byte offsets of the fixed BOOTP/DHCP header (RFC 2131 §2, figure 1).</summary>
public static class DhcpHeaderLayout
{
    public const int Op = 0;
    public const int HardwareType = 1;
    public const int HardwareAddressLength = 2;
    public const int Hops = 3;
    public const int TransactionId = 4;
    public const int Seconds = 8;
    public const int Flags = 10;
    public const int ClientAddress = 12;
    public const int YourAddress = 16;
    public const int ServerAddress = 20;
    public const int GatewayAddress = 24;
    public const int ClientHardwareAddress = 28;
    public const int ClientHardwareAddressSize = 16;
    public const int ServerName = 44;
    public const int ServerNameSize = 64;
    public const int BootFile = 108;
    public const int BootFileSize = 128;
    public const int MagicCookie = 236;
    public const int Options = 240;

    /// <summary>Header plus cookie: the shortest message that can carry DHCP options.</summary>
    public const int MinimumLength = Options;

    /// <summary>RFC 1542 §3.3: BOOTP relays and old clients expect at least 300 bytes.</summary>
    public const int MinimumBootpLength = 300;

    /// <summary>RFC 2131 §2: every client accepts 576-byte IP datagrams; minus 20 (IP) and 8 (UDP) headers.</summary>
    public const int DefaultMaximumPayload = 576 - IpUdpOverhead;

    public const int IpUdpOverhead = 28;

    public const uint MagicCookieValue = 0x63825363;

    /// <summary>The broadcast bit of the flags field (RFC 2131 §2).</summary>
    public const ushort BroadcastFlag = 0x8000;
}
