using System.Reflection;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What the tests need from the machine: root (network namespaces, port 67, raw sockets) and the
/// third-party programs. A missing one fails the test with what to install: these tests are the
/// acceptance check of the server, so they are never skipped silently.
/// </summary>
internal static class Prerequisites
{
    /// <summary>Program → the Debian package that provides it (scripts/test.sh installs these).</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["ip"] = "iproute2",
        ["timeout"] = "coreutils",
        ["unshare"] = "util-linux",
        ["nsenter"] = "util-linux",
        ["udhcpc"] = "udhcpc",
        ["dhclient"] = "isc-dhcp-client",
        ["dhcpcd"] = "dhcpcd-base",
        ["dhcrelay"] = "isc-dhcp-relay",
        ["dumpcap"] = "tshark",
        ["tshark"] = "tshark",
        ["python3"] = "python3",
    };

    // Root's sbin directories may be missing from PATH under a test runner; dhclient and friends live there.
    private static readonly string[] ExtraDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>Fails the current test unless running as root with every named program installed.</summary>
    public static void Require(params string[] programs)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail("The end-to-end tests need root (network namespaces, UDP port 67, packet capture). Run them as root, e.g. `sudo scripts/test.sh`.");
        }

        var missing = programs.Append("ip").Append("timeout").Distinct().Where(p => TryFind(p) is null).ToList();
        if (missing.Count > 0)
        {
            var packages = missing.Select(p => Packages.GetValueOrDefault(p, p)).Distinct();
            Assert.Fail($"The end-to-end tests need {string.Join(", ", missing)}: install the Debian packages {string.Join(" ", packages)} (scripts/test.sh does this when run as root).");
        }

        _ = DhcpSharpDll;
        _ = Dotnet;
    }

    /// <summary>Absolute path of a program (PATH first, then the usual system directories).</summary>
    public static string Tool(string name) => TryFind(name) ?? throw new InvalidOperationException($"{name} is not installed (Debian package {Packages.GetValueOrDefault(name, name)})");

    /// <summary>The built dhcpsharp.dll: $DHCPSHARP_E2E_CLI, else the path recorded at build time.</summary>
    public static string DhcpSharpDll
    {
        get
        {
            string? path = Environment.GetEnvironmentVariable("DHCPSHARP_E2E_CLI");
            path ??= typeof(Prerequisites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "DhcpSharpCli")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                Assert.Fail($"dhcpsharp.dll not found (recorded path: \"{path}\"); build src/DhcpSharp.Cli, or set DHCPSHARP_E2E_CLI.");
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
            if (root is not null && File.Exists(Path.Combine(root, "dotnet")))
            {
                return Path.Combine(root, "dotnet");
            }

            return TryFind("dotnet") ?? throw new InvalidOperationException("the dotnet host was not found (set DOTNET_HOST_PATH)");
        }
    }

    private static string? TryFind(string name)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories);
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
