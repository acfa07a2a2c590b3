using System.Text.Json.Serialization;
using DhcpSharp.Boot.Configuration;
using DhcpSharp.Server.Configuration.FileModel;

namespace DhcpSharp.Hosting.Configuration;

/// <summary>
/// The whole configuration file as written: the DHCP keys at the root (the server's section) and
/// "boot" (the boot project's section). Unknown keys at any level are refused.
/// </summary>
public sealed record DhcpSharpFile : DhcpServerSection
{
    // After the DHCP keys, where the unknown-key message and the schema list it.
    [JsonPropertyOrder(1)]
    public BootSection? Boot { get; init; }
}
