namespace DhcpSharp.Boot.Files;

/// <summary>
/// Files under a root directory, with optional fallback directories (Debian's /usr/lib/ipxe for
/// the default boot files). The real path of every file (all symbolic links resolved, in any
/// component) must lie inside the real path of its root, so no link can lead outside.
/// </summary>
public sealed partial class DirectoryFileProvider : IBootFileProvider
{
    private readonly IReadOnlyList<string> _roots;

    public DirectoryFileProvider(string root, params string[] fallbacks)
    {
        _roots = [.. new[] { root }.Concat(fallbacks).Where(Directory.Exists).Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))];
    }

    public IReadOnlyList<string> Roots => _roots;

    public ValueTask<BootFile?> OpenAsync(string path, BootFileClient client, CancellationToken cancellationToken)
    {
        foreach (var root in _roots)
        {
            string full = Path.GetFullPath(Path.Combine(root, path));
            if (!IsInside(full, root))
            {
                throw new BootFileAccessException($"{path} is outside the boot root");
            }

            if (!File.Exists(full))
            {
                continue;
            }

            string? real = RealPath(full);
            string? realRoot = RealPath(root);
            if (real is null || realRoot is null || !IsInside(real, realRoot))
            {
                throw new BootFileAccessException($"{path} leads outside the boot root");
            }

            var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return ValueTask.FromResult<BootFile?>(new BootFile(stream, stream.Length));
        }

        return ValueTask.FromResult<BootFile?>(null);
    }

    private static bool IsInside(string full, string root) =>
        full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>realpath(3): the absolute path with every symbolic link in every component resolved.</summary>
    private static string? RealPath(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return Path.GetFullPath(path);
        }

        nint resolved = NativeRealPath(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial nint NativeRealPath(string path, nint resolved);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "free")]
    private static partial void NativeFree(nint pointer);
}
