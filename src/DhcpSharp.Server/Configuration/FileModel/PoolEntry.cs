using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DhcpSharp.Server.Configuration.FileModel;

/// <summary>One element of a subnet's "pools", as written.</summary>
public sealed record PoolEntry
{
    [Required(ErrorMessage = "is required (for example \"192.168.1.100-192.168.1.200\")")]
    [Description("An address or START-END, e.g. 192.168.1.100-192.168.1.200.")]
    public string Range { get; init; } = "";

    [JsonConverter(typeof(StringListConverter))]
    [Description("Addresses or START-END ranges the pool does not hand out.")]
    public IReadOnlyList<string>? Exclude { get; init; }

    [JsonConverter(typeof(StringListConverter))]
    [Description("Only clients in one of these classes use this pool.")]
    public IReadOnlyList<string>? Classes { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }
}
