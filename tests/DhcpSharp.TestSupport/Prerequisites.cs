using System.Collections.Concurrent;

namespace DhcpSharp.TestSupport;

/// <summary>
/// What the suites need from the machine: root and third-party programs (and, for the PXE
/// tests, firmware files). Anything missing fails the test with what to install: these tests
/// are acceptance checks, so none of the suites ever skips one silently.
/// </summary>
public static class Prerequisites
{
    /// <summary>Program → the Debian package that provides it (scripts/test.sh installs these).</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["ip"] = "iproute2",
        ["ss"] = "iproute2",
        ["timeout"] = "coreutils",
        ["env"] = "coreutils",
        ["unshare"] = "util-linux",
        ["nsenter"] = "util-linux",
        ["udhcpc"] = "udhcpc",
        ["dhclient"] = "isc-dhcp-client",
        ["dhcpcd"] = "dhcpcd-base",
        ["dhcrelay"] = "isc-dhcp-relay",
        ["dumpcap"] = "tshark (wireshark-common)",
        ["tshark"] = "tshark",
        ["python3"] = "python3",
        ["dnsmasq"] = "dnsmasq-base",
        ["kea-dhcp4"] = "kea-dhcp4-server",
        ["perfdhcp"] = "kea-admin",
        ["qemu-system-x86_64"] = "qemu-system-x86",
    };

    // Root's sbin directories may be missing from PATH under a test runner; dhclient and friends live there.
    private static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private static readonly ConcurrentDictionary<string, string> Found = new(StringComparer.Ordinal);

    /// <summary>
    /// Fails the current test unless it runs as root with the suite's programs, <paramref name="programs"/>
    /// and <paramref name="files"/> (path → Debian package) present, and dhcpsharp.dll and dotnet found.
    /// </summary>
    public static void Require(TestSuite suite, IEnumerable<string> programs, IReadOnlyDictionary<string, string>? files = null)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail($"{suite.Title} need root ({suite.RootReason}). Run them as root, e.g. `sudo scripts/test.sh`.");
        }

        var missingPrograms = programs.Concat(suite.BasePrograms).Distinct().Where(p => TryFind(p) is null).ToList();
        var missingFiles = (files ?? new Dictionary<string, string>()).Where(f => !File.Exists(f.Key)).ToList();
        if (missingPrograms.Count + missingFiles.Count > 0)
        {
            var packages = missingPrograms.Select(PackageOf).Concat(missingFiles.Select(f => f.Value)).Distinct();
            Assert.Fail($"{suite.Title} need {string.Join(", ", missingPrograms.Concat(missingFiles.Select(f => f.Key)))}: " +
                        $"install the Debian packages {string.Join(" ", packages)} (scripts/test.sh does this when run as root).");
        }

        _ = suite.DhcpSharpDll;
        _ = Dotnet;
    }

    /// <summary>Absolute path of a program (PATH first, then the usual system directories).</summary>
    public static string Tool(string name) =>
        TryFind(name) ?? throw new InvalidOperationException($"{name} is not installed (Debian package {PackageOf(name)})");

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
            return root is not null && File.Exists(Path.Combine(root, "dotnet"))
                ? Path.Combine(root, "dotnet")
                : TryFind("dotnet") ?? throw new InvalidOperationException("the dotnet host was not found (set DOTNET_HOST_PATH)");
        }
    }

    private static string PackageOf(string program) => Packages.GetValueOrDefault(program, program);

    private static string? TryFind(string name)
    {
        if (Found.TryGetValue(name, out string? known))
        {
            return known;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirectories);
        string? path = directories.Select(d => Path.Combine(d, name)).FirstOrDefault(IsExecutable);
        // Only hits are remembered: a program apt installs while the suite runs is found on the next look.
        return path is null ? null : Found.GetOrAdd(name, path);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
