using System.Text;

namespace DhcpSharp.Boot.Tftp;

/// <summary>Who is asking for a file (for per-client virtual files such as generated iPXE scripts).</summary>
public sealed record TftpClientInfo(System.Net.IPEndPoint RemoteEndPoint);

/// <summary>An opened file: a seekable stream and its length when known.</summary>
public sealed class TftpFile(Stream content, long? length) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long? Length { get; } = length;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>Where TFTP (and the HTTP boot server) get files. Null: not found.</summary>
public interface IBootFileProvider
{
    /// <summary>Opens <paramref name="path"/> (already normalised: relative, forward slashes, no ".." segments).</summary>
    ValueTask<TftpFile?> OpenAsync(string path, TftpClientInfo client, CancellationToken cancellationToken);
}

/// <summary>A refused path: outside the root, or otherwise not allowed (TFTP error 2, HTTP 403).</summary>
public sealed class BootFileAccessException(string message) : Exception(message)
{
    public BootFileAccessException()
        : this("access denied")
    {
    }

    public BootFileAccessException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}

/// <summary>Path rules shared by TFTP and HTTP: the client's name becomes a safe relative path or is refused.</summary>
public static class BootPath
{
    /// <summary>
    /// "\" becomes "/" (Windows-style ROMs), leading "/" is dropped (iPXE sends it), and any
    /// ".." segment, NUL or drive letter is refused.
    /// </summary>
    public static bool TryNormalize(string requested, out string path)
    {
        path = "";
        string unified = requested.Replace('\\', '/').TrimStart('/');
        if (unified.Length == 0 || unified.Contains('\0', StringComparison.Ordinal) || unified.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var segments = unified.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is ".." or "."))
        {
            return false;
        }

        path = string.Join('/', segments);
        return true;
    }
}

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

    public ValueTask<TftpFile?> OpenAsync(string path, TftpClientInfo client, CancellationToken cancellationToken)
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
            return ValueTask.FromResult<TftpFile?>(new TftpFile(stream, stream.Length));
        }

        return ValueTask.FromResult<TftpFile?>(null);
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

/// <summary>
/// Files made per request (an iPXE script per client, say), in front of another provider. A
/// generator returns null to let the inner provider answer.
/// </summary>
public sealed class VirtualFileProvider(IBootFileProvider inner) : IBootFileProvider
{
    private readonly Dictionary<string, Func<TftpClientInfo, string?>> _files = new(StringComparer.Ordinal);

    /// <summary>Adds a generated text file; a real file of the same name in the root wins.</summary>
    public VirtualFileProvider Add(string path, Func<TftpClientInfo, string?> generate)
    {
        _files[path] = generate;
        return this;
    }

    public async ValueTask<TftpFile?> OpenAsync(string path, TftpClientInfo client, CancellationToken cancellationToken)
    {
        if (await inner.OpenAsync(path, client, cancellationToken).ConfigureAwait(false) is { } real)
        {
            return real;
        }

        if (_files.TryGetValue(path, out var generate) && generate(client) is { } text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return new TftpFile(new MemoryStream(bytes, writable: false), bytes.Length);
        }

        return null;
    }
}
