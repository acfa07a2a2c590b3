using DhcpSharp.Server.Configuration.FileModel;

namespace DhcpSharp.Server.Configuration;

/// <summary>
/// Reads a configuration file of DHCP keys only (the whole file, with "boot", is read by
/// DhcpSharp.Hosting's DhcpSharpConfiguration). Strict: an unknown key is an error, so a typo
/// never silently falls back to a default. Every error names the key.
/// </summary>
public static class DhcpServerConfigurationLoader
{
    public static DhcpServerSettings LoadFile(string path) => Parse(ConfigurationReader.ReadFile(path), path);

    public static DhcpServerSettings Parse(string json, string source = "config") =>
        DhcpServerSectionValidator.Validate(ConfigurationReader.Read(json, source, DhcpServerJsonContext.Default.DhcpServerSection));
}
