using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DhcpSharp.Server.Configuration.FileModel;

/// <summary>
/// The DHCP keys at the root of the configuration file, as written (keys are the camelCase names
/// of these properties; unknown keys are refused). The whole file's root derives from this and
/// adds "boot". Absent keys are null; <see cref="DhcpServerSectionValidator"/> applies defaults.
/// </summary>
public record DhcpServerSection
{
    public const int DefaultPort = 67;
    public const string DefaultLeaseFile = "/var/lib/dhcpsharp/leases.db";
    public const int DefaultLeaseCommitDelayMs = 1;
    public const long DefaultLeaseTime = 3600;
    public const long DefaultOfferTime = 30;
    public const long DefaultDeclineProbation = 3600;
    public const int DefaultPingTimeoutMs = 500;

    [JsonPropertyName("$schema")]
    [Description("Where editors find this schema.")]
    public string? Schema { get; init; }

    [JsonConverter(typeof(StringListConverter))]
    [Description("Interfaces to serve; default: every interface with an address in a configured subnet.")]
    public IReadOnlyList<string>? Interfaces { get; init; }

    [Range(1, 65535)]
    [DefaultValue(DefaultPort)]
    public int? Port { get; init; }

    [DefaultValue(DefaultLeaseFile)]
    [Description("The lease store: an SQLite file path, or a postgresql:// URI (libpq form; password from the URI, PGPASSWORD or ~/.pgpass) shared by several servers.")]
    public string? LeaseFile { get; init; }

    [Description("This server's name in the lease rows it writes; give each server sharing one lease database its own (default: the host name).")]
    public string? ServerName { get; init; }

    [Range(0, 100)]
    [DefaultValue(DefaultLeaseCommitDelayMs)]
    [Description("Under load, how long the lease store gathers saves into one fsync (an ACK waits at most this much longer); 0 commits at once.")]
    public int? LeaseCommitDelayMs { get; init; }

    [Seconds]
    [DefaultValue(DefaultLeaseTime)]
    [Description("Lease time in seconds.")]
    public long? LeaseTime { get; init; }

    [Seconds]
    [Description("T1 in seconds (default half the lease time); shorter than every lease time.")]
    public long? RenewalTime { get; init; }

    [Seconds]
    [Description("T2 in seconds (default 0.875 of the lease time); shorter than every lease time.")]
    public long? RebindingTime { get; init; }

    [Seconds]
    [DefaultValue(DefaultOfferTime)]
    [Description("How long an offered address is held for the client's REQUEST, in seconds.")]
    public long? OfferTime { get; init; }

    [Seconds]
    [DefaultValue(DefaultDeclineProbation)]
    [Description("How long a declined address stays out of use, in seconds.")]
    public long? DeclineProbation { get; init; }

    [DefaultValue(true)]
    public bool? Authoritative { get; init; }

    [DefaultValue(false)]
    public bool? DynamicBootp { get; init; }

    [DefaultValue(false)]
    public bool? PingCheck { get; init; }

    [Range(1, 10000)]
    [DefaultValue(DefaultPingTimeoutMs)]
    public int? PingTimeoutMs { get; init; }

    [RegularExpression(ConfigurationPatterns.IPv4)]
    [Description("Option 54; default: the receiving interface's address.")]
    public string? ServerIdentifier { get; init; }

    [JsonConverter(typeof(CodeOrNameArrayConverter))]
    [Description("Options sent even when not requested (node-dhcp's forceOptions), by code or name.")]
    public IReadOnlyList<JsonElement>? AlwaysSend { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }

    public IReadOnlyList<ClientClassEntry>? Classes { get; init; }

    public IReadOnlyList<SubnetEntry>? Subnets { get; init; }
}
