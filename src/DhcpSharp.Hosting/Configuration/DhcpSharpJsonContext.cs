using System.Text.Json;
using System.Text.Json.Serialization;

namespace DhcpSharp.Hosting.Configuration;

/// <summary>Source-generated metadata of the whole file; the same reading options as the server's DHCP-only context.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(DhcpSharpFile))]
internal sealed partial class DhcpSharpJsonContext : JsonSerializerContext;
