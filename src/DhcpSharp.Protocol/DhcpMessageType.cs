namespace DhcpSharp.Protocol;

/// <summary>Option 53 values (RFC 2132 §9.6, RFC 3203, RFC 4388, RFC 6926, RFC 7724).</summary>
public enum DhcpMessageType : byte
{
    /// <summary>No option 53: a plain BOOTP message (RFC 951).</summary>
    None = 0,
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
    Release = 7,
    Inform = 8,
    ForceRenew = 9,
    LeaseQuery = 10,
    LeaseUnassigned = 11,
    LeaseUnknown = 12,
    LeaseActive = 13,
    BulkLeaseQuery = 14,
    LeaseQueryDone = 15,
    ActiveLeaseQuery = 16,
    LeaseQueryStatus = 17,
    Tls = 18,
}

/// <summary>The BOOTP op field.</summary>
public enum BootOperation : byte
{
    Request = 1,
    Reply = 2,
}

/// <summary>Wire names of message types, as other servers print them.</summary>
public static class DhcpMessageTypeNames
{
    // Built once: the name is a metrics tag on every request.
    private static readonly string[] Names = Enumerable.Range(0, 256).Select(code => Compute((DhcpMessageType)code)).ToArray();

    /// <summary>The upper-case wire name operators know from other servers' logs ("DISCOVER").</summary>
    public static string ToWireName(this DhcpMessageType type) => Names[(byte)type];

    private static string Compute(DhcpMessageType type) => type switch
    {
        DhcpMessageType.None => "BOOTP",
        DhcpMessageType.ForceRenew => "FORCERENEW",
        DhcpMessageType.LeaseQuery => "LEASEQUERY",
        DhcpMessageType.LeaseUnassigned => "LEASEUNASSIGNED",
        DhcpMessageType.LeaseUnknown => "LEASEUNKNOWN",
        DhcpMessageType.LeaseActive => "LEASEACTIVE",
        DhcpMessageType.BulkLeaseQuery => "BULKLEASEQUERY",
        DhcpMessageType.LeaseQueryDone => "LEASEQUERYDONE",
        DhcpMessageType.ActiveLeaseQuery => "ACTIVELEASEQUERY",
        DhcpMessageType.LeaseQueryStatus => "LEASEQUERYSTATUS",
        _ when Enum.IsDefined(type) => type.ToString().ToUpperInvariant(),
        _ => $"TYPE{(byte)type}",
    };
}
