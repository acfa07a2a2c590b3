using DhcpSharp.Boot.Configuration;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Hosting.Configuration;

/// <summary>
/// Reads the whole configuration file (schema: schemas/dhcpsharp.schema.json) into
/// <see cref="DhcpSharpSettings"/>: the shape checked against the file model, then the DHCP keys
/// validated by the server's pass and "boot" by the boot project's.
/// </summary>
public static class DhcpSharpConfiguration
{
    public static DhcpSharpSettings LoadFile(string path) => Parse(ConfigurationReader.ReadFile(path), path);

    /// <param name="json">The file's text.</param>
    /// <param name="source">Names the text in a syntax error (the file's path, "flags" …).</param>
    public static DhcpSharpSettings Parse(string json, string source = "config")
    {
        var file = ConfigurationReader.Read(json, source, DhcpSharpJsonContext.Default.DhcpSharpFile);
        var dhcp = DhcpServerSectionValidator.Validate(file);
        return new DhcpSharpSettings
        {
            Dhcp = dhcp.Server,
            Interfaces = dhcp.Interfaces,
            Port = dhcp.Port,
            LeaseFile = dhcp.LeaseFile,
            ServerName = dhcp.ServerName,
            LeaseCommitDelay = dhcp.LeaseCommitDelay,
            Boot = BootSectionValidator.Validate(file.Boot),
        };
    }

    /// <summary>The published JSON Schema of the whole file, generated from the file model.</summary>
    public static string GenerateSchema() => ConfigurationSchemaGenerator.Generate(
        DhcpSharpJsonContext.Default.DhcpSharpFile,
        "DhcpSharp server configuration",
        "The file given to 'dhcpsharp serve --config'. Unknown keys are errors.");
}
