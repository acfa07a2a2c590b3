using System.Text.Json;
using System.Text.Json.Serialization;

namespace DhcpSharp.Server.Configuration.FileModel;

/// <summary>
/// Source-generated metadata of the DHCP-only file (no "boot"): what <see cref="DhcpServerConfigurationLoader"/>
/// reads. The options here (camelCase, comments, trailing commas, unknown keys refused) are the
/// configuration file's; the whole-file context in DhcpSharp.Hosting repeats them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(DhcpServerSection))]
internal sealed partial class DhcpServerJsonContext : JsonSerializerContext;
