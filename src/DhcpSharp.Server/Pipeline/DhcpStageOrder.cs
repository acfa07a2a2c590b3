namespace DhcpSharp.Server.Pipeline;

/// <summary>
/// Where the built-in DHCPv4 stages sit. Gaps are left on purpose: add your own stage at, say,
/// <c>Allocation - 10</c> to run just before addresses are decided.
/// </summary>
public static class DhcpStageOrder
{
    /// <summary>Sanity checks on the header (BOOTREQUEST only); the first and cheapest.</summary>
    public const int Validation = 0;

    /// <summary>Per-client and per-relay limits: drop floods before any allocation work.</summary>
    public const int RateLimit = 100;

    public const int SubnetSelection = 200;

    public const int Classification = 300;

    public const int Reservation = 400;

    /// <summary>The library's AcceptRequest callback.</summary>
    public const int AcceptRequest = 500;

    /// <summary>The DHCP engine: leases and the OFFER/ACK/NAK.</summary>
    public const int Allocation = 600;

    /// <summary>Boot information added to the DHCP engine's own replies (full mode).</summary>
    public const int BootDecoration = 700;

    /// <summary>proxyDHCP answers network-boot clients the engine did not serve.</summary>
    public const int ProxyDhcp = 800;

    /// <summary>The library's BeforeReply callback: the last look at a reply.</summary>
    public const int BeforeReply = 900;

    /// <summary>Drops what no stage took charge of.</summary>
    public const int Unhandled = 1000;
}
