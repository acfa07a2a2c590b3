using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DhcpSharp.Pxe.Tests.Harness;

internal enum ClientFirmware
{
    /// <summary>SeaBIOS + QEMU's iPXE option ROM on an e1000: the PXE client is iPXE.</summary>
    Bios,

    /// <summary>OVMF + virtio-net without option ROM: the PXE client is EDK2's own (option 93 = 7).</summary>
    Uefi,
}

/// <summary>Where the Debian packages put the firmware and boot programs.</summary>
internal static class FirmwareFiles
{
    public const string BiosNicRom = "/usr/lib/ipxe/qemu/pxe-e1000.rom";
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    public const string OvmfVars = "/usr/share/OVMF/OVMF_VARS_4M.fd";
    public const string IpxeDirectory = "/usr/lib/ipxe";
    public const string IpxeSnp = "/usr/lib/ipxe/snponly.efi";
    public const string Pxelinux = "/usr/lib/PXELINUX/pxelinux.0";
    public const string SyslinuxBiosModules = "/usr/lib/syslinux/modules/bios";

    /// <summary>The Debian package that provides a firmware or boot file ("?" for one not listed here).</summary>
    public static string PackageOf(string path) => path switch
    {
        BiosNicRom => "ipxe-qemu",
        OvmfCode or OvmfVars => "ovmf",
        IpxeSnp => "ipxe",
        Pxelinux => "pxelinux",
        _ when path.StartsWith(SyslinuxBiosModules + "/", StringComparison.Ordinal) => "syslinux-common",
        _ => "?",
    };
}

/// <summary>
/// The PXE client: QEMU with its network on the lab's tap and its console on a serial file. TCG
/// always (nested KVM breaks both firmwares on the build machines; DSPXE_ACCEL=kvm overrides);
/// <c>-no-reboot</c> turns the payload's final reboot into a clean exit.
/// </summary>
internal sealed partial class QemuMachine : IAsyncDisposable
{
    public const string ClientMac = "52:54:00:35:00:01";

    private readonly BackgroundProcess _process;
    private readonly Stopwatch _clock;

    private QemuMachine(BackgroundProcess process, string serialPath, Stopwatch clock)
    {
        _process = process;
        SerialPath = serialPath;
        _clock = clock;
    }

    public string SerialPath { get; }

    public bool HasExited => _process.HasExited;

    public static QemuMachine Start(NetworkLab lab, ClientFirmware firmware, string workDirectory, TimeSpan limit)
    {
        string serial = Path.Combine(workDirectory, "serial.log");
        File.WriteAllBytes(serial, []);
        string accel = Environment.GetEnvironmentVariable("DSPXE_ACCEL") ?? "tcg";
        var arguments = new List<string>
        {
            Prerequisites.Tool("qemu-system-x86_64"),
            "-machine", (firmware == ClientFirmware.Bios ? "pc" : "q35") + ",accel=" + accel,
            "-m", "256",
            // -nographic (not -display none): only then does SeaBIOS mirror the text console, where
            // iPXE and PXELINUX print, to the serial port. -monitor none keeps stdio unused.
            "-nographic", "-monitor", "none",
            "-serial", $"file:{serial}",
            "-no-reboot",
            "-uuid", "8a0c1c2e-5ca1-4e00-9d00-000035000001",
            "-netdev", $"tap,id=n0,ifname={lab.Tap},script=no,downscript=no",
        };
        if (firmware == ClientFirmware.Bios)
        {
            arguments.AddRange(["-boot", "n", "-device", $"e1000,netdev=n0,mac={ClientMac},romfile={FirmwareFiles.BiosNicRom},bootindex=1"]);
        }
        else
        {
            string vars = Path.Combine(workDirectory, "OVMF_VARS.fd");
            File.Copy(FirmwareFiles.OvmfVars, vars, overwrite: true);
            arguments.AddRange([
                "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={FirmwareFiles.OvmfCode}",
                "-drive", $"if=pflash,format=raw,unit=1,file={vars}",
                // romfile= (empty): without iPXE's EFI ROM on the NIC, OVMF runs EDK2's own PXE client.
                // bootindex=1: OVMF boots from the NIC first (-boot n only affects SeaBIOS).
                "-device", $"virtio-net-pci,netdev=n0,mac={ClientMac},romfile=,bootindex=1",
            ]);
        }

        var clock = Stopwatch.StartNew();
        var process = lab.Start(lab.LanNamespace, "qemu", arguments, limit);
        return new QemuMachine(process, serial, clock);
    }

    /// <summary>Time from QEMU's start until <paramref name="text"/> is on the console; null if QEMU exited or the limit passed first.</summary>
    public async Task<TimeSpan?> WaitForConsoleAsync(string text, TimeSpan limit)
    {
        var deadline = _clock.Elapsed + limit;
        while (true)
        {
            bool exited = _process.HasExited;
            if (Console().Contains(text, StringComparison.Ordinal))
            {
                return _clock.Elapsed;
            }

            if (exited || _clock.Elapsed > deadline)
            {
                return null;
            }

            await Task.Delay(100);
        }
    }

    public Task<bool> WaitForExitAsync(TimeSpan limit) => _process.WaitForExitAsync(limit);

    /// <summary>The serial console as text: ANSI escapes, carriage returns and NULs removed.</summary>
    public string Console()
    {
        using var stream = new FileStream(SerialPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return AnsiEscape().Replace(reader.ReadToEnd(), "").Replace("\r", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"\x1b(\[[0-9;=?]*[A-Za-z]|c)")]
    private static partial Regex AnsiEscape();
}
