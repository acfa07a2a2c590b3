using System.Runtime.InteropServices;

namespace DhcpSharp.TestSupport;

internal static class NativeMethods
{
    public static void Kill(int pid, int signal) => _ = kill(pid, signal);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport would need AllowUnsafeBlocks for this one int-only call.
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
