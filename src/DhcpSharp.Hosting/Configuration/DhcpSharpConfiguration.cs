using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Hosting.Configuration;

/// <summary>Reads the configuration file (schema: schemas/dhcpsharp.schema.json) into <see cref="DhcpSharpSettings"/>.</summary>
public static class DhcpSharpConfiguration
{
    public static DhcpSharpSettings LoadFile(string path) => From(DhcpServerConfigurationLoader.LoadFile(path));

    public static DhcpSharpSettings Parse(string json, string source = "config") => From(DhcpServerConfigurationLoader.Parse(json, source));

    /// <summary>The published JSON Schema of the file.</summary>
    public static string GenerateSchema() => ConfigurationSchema.Generate();

    private static DhcpSharpSettings From(DhcpServerSettings settings) => new()
    {
        Dhcp = settings.Server,
        Interfaces = settings.Interfaces,
        Port = settings.Port,
        LeaseFile = settings.LeaseFile,
        LeaseCommitDelay = settings.LeaseCommitDelay,
        Boot = settings.Boot,
    };
}
