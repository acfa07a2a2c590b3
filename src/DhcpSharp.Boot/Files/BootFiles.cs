using DhcpSharp.Boot.Policy;
using DhcpSharp.Boot.Tftp;

namespace DhcpSharp.Boot.Files;

/// <summary>The files TFTP and HTTP serve: the boot root, Debian's iPXE builds as fallback, and the default iPXE script.</summary>
public static class BootFiles
{
    /// <summary>Where Debian's ipxe package puts undionly.kpxe, ipxe.efi and snponly.efi.</summary>
    public const string DebianIpxeDirectory = "/usr/lib/ipxe";

    public static VirtualFileProvider Create(string root, bool useDebianIpxe = true)
    {
        Directory.CreateDirectory(root);
        var directories = useDebianIpxe ? new[] { DebianIpxeDirectory } : [];
        var provider = new VirtualFileProvider(new DirectoryFileProvider(root, directories));
        provider.Add(BootPolicy.DefaultIpxeScript, _ => DefaultScript(root));
        return provider;
    }

    /// <summary>What iPXE runs when the root has no boot.ipxe: say so, then hand back to the firmware.</summary>
    public static string DefaultScript(string root) => $$"""
        #!ipxe
        echo DhcpSharp: iPXE ${version} on ${net0/mac} got ${net0/ip} from ${dhcp-server}
        echo No boot.ipxe in {{root}}: put an iPXE script there to boot an installer or live image.
        echo Returning to the firmware in 10 seconds.
        sleep 10
        exit 1

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    public static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".efi" => "application/efi",
        ".iso" => "application/vnd.efi-iso",
        ".img" => "application/vnd.efi-img",
        ".ipxe" or ".txt" or ".cfg" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
