namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>
/// What the client finally boots. Each prints the per-run marker on the console and ends with a
/// reboot (QEMU runs with -no-reboot, so that is a clean exit; this iPXE build has no poweroff).
/// Console lines stay short: SeaBIOS's serial mirror of the text screen wraps at 80 columns.
/// </summary>
internal static class Payloads
{
    /// <summary>
    /// boot.ipxe: the marker, then one "NONCE:key=value" line per fact the client learned. The
    /// binaries (undionly.kpxe, snponly.efi) are deliberately not copied: dhcpsharp serves them
    /// from /usr/lib/ipxe when the root lacks them.
    /// </summary>
    public static void WriteIpxeScript(string root, string nonce, string marker)
    {
        string[] facts =
        [
            "platform=${platform}",
            "ip=${net0/ip}",
            "dhcp-server=${net0.dhcp/dhcp-server}",
            "next-server=${next-server}",
            "filename=${filename}",
            "proxy-next-server=${proxydhcp/next-server}",
            "pxebs-next-server=${pxebs/next-server}",
            "end=1",
        ];
        File.WriteAllLines(Path.Combine(root, "boot.ipxe"),
        [
            "#!ipxe",
            $"echo {marker}",
            .. facts.Select(f => $"echo {nonce}:{f}"),
            "sleep 1", // lets the UART drain before the reset
            "reboot",
        ]);
    }

    /// <summary>PXELINUX, its core module and a config that SAYs the marker, then reboots via reboot.c32.</summary>
    public static void WritePxelinux(string root, string marker)
    {
        File.Copy(FirmwareFiles.Pxelinux, Path.Combine(root, "pxelinux.0"));
        foreach (string module in (string[])["ldlinux.c32", "libcom32.c32", "libutil.c32", "reboot.c32"])
        {
            File.Copy(Path.Combine(FirmwareFiles.SyslinuxBiosModules, module), Path.Combine(root, module));
        }

        Directory.CreateDirectory(Path.Combine(root, "pxelinux.cfg"));
        File.WriteAllLines(Path.Combine(root, "pxelinux.cfg", "default"),
        [
            $"SAY {marker}",
            "DEFAULT bye",
            "PROMPT 0",
            "TIMEOUT 1",
            "LABEL bye",
            "  COM32 reboot.c32",
        ]);
    }
}
