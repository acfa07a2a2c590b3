using System.Reflection;

namespace DhcpSharp.Pxe.Tests.Harness;

/// <summary>
/// What the tests need from the machine. Anything missing fails the test with what to install:
/// these tests are the acceptance check of network boot, so they are never skipped silently.
/// </summary>
internal static class Prerequisites
{
    /// <summary>Programs → the Debian package that provides them (scripts/test.sh installs these).</summary>
    private static readonly Dictionary<string, string> ProgramPackages = new(StringComparer.Ordinal)
    {
        ["ip"] = "iproute2",
        ["ss"] = "iproute2",
        ["timeout"] = "coreutils",
        ["qemu-system-x86_64"] = "qemu-system-x86",
        ["dumpcap"] = "tshark (wireshark-common)",
        ["dnsmasq"] = "dnsmasq-base",
        ["udhcpc"] = "udhcpc",
    };

    /// <summary>Firmware and boot programs → their Debian package.</summary>
    private static readonly Dictionary<string, string> FilePackages = new(StringComparer.Ordinal)
    {
        [FirmwareFiles.BiosNicRom] = "ipxe-qemu",
        [FirmwareFiles.OvmfCode] = "ovmf",
        [FirmwareFiles.OvmfVars] = "ovmf",
        [FirmwareFiles.IpxeSnp] = "ipxe",
        [FirmwareFiles.Pxelinux] = "pxelinux",
        [Path.Combine(FirmwareFiles.SyslinuxBiosModules, "ldlinux.c32")] = "syslinux-common",
    };

    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>Fails the current test unless running as root with every program and file present.</summary>
    public static void Require(IEnumerable<string> programs, IEnumerable<string> files)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("The PXE tests need root (network namespaces, a tap device, UDP ports 67/69/4011, packet capture). Run them as root, e.g. `sudo scripts/test.sh`.");
        }

        var missingPrograms = programs.Concat(["ip", "ss", "timeout"]).Distinct().Where(p => Find(p) is null).ToList();
        var missingFiles = files.Distinct().Where(f => !File.Exists(f)).ToList();
        if (missingPrograms.Count + missingFiles.Count > 0)
        {
            var packages = missingPrograms.Select(p => ProgramPackages.GetValueOrDefault(p, p))
                .Concat(missingFiles.Select(f => FilePackages.GetValueOrDefault(f, "?")))
                .Distinct();
            Assert.Fail($"The PXE tests need {string.Join(", ", missingPrograms.Concat(missingFiles))}: install the Debian packages {string.Join(" ", packages)} (scripts/test.sh does this when run as root).");
        }

        _ = DhcpSharpDll;
    }

    /// <summary>Absolute path of a program: PATH first, then the usual system directories (root's sbin may be missing from PATH).</summary>
    public static string Tool(string name) =>
        Find(name) ?? throw new InvalidOperationException($"{name} is not installed (Debian package {ProgramPackages.GetValueOrDefault(name, name)})");

    /// <summary>The dhcpsharp.dll under test: $DSPXE_DHCPSHARP_DLL, else the one built with these tests.</summary>
    public static string DhcpSharpDll
    {
        get
        {
            string? path = Environment.GetEnvironmentVariable("DSPXE_DHCPSHARP_DLL");
            path ??= typeof(Prerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "DhcpSharpDll")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                Assert.Fail($"dhcpsharp.dll not found (recorded at build time: \"{path}\"); build src/DhcpSharp.Cli or set DSPXE_DHCPSHARP_DLL.");
            }

            return path!;
        }
    }

    /// <summary>The dotnet host that runs dhcpsharp.dll: the one running these tests when known.</summary>
    public static string Dotnet
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (host is not null && File.Exists(host))
            {
                return host;
            }

            string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            return root is not null && File.Exists(Path.Combine(root, "dotnet")) ? Path.Combine(root, "dotnet") : Tool("dotnet");
        }
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(p => File.Exists(p) && (File.GetUnixFileMode(p) & UnixFileMode.UserExecute) != 0);
}
