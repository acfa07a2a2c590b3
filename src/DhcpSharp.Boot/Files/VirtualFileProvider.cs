using System.Text;

namespace DhcpSharp.Boot.Files;

/// <summary>
/// Files made per request (an iPXE script per client, say), in front of another provider. A
/// generator returns null to let the inner provider answer.
/// </summary>
public sealed class VirtualFileProvider(IBootFileProvider inner) : IBootFileProvider
{
    private readonly Dictionary<string, Func<BootFileClient, string?>> _files = new(StringComparer.Ordinal);

    /// <summary>Adds a generated text file; a real file of the same name in the root wins.</summary>
    public VirtualFileProvider Add(string path, Func<BootFileClient, string?> generate)
    {
        _files[path] = generate;
        return this;
    }

    public async ValueTask<BootFile?> OpenAsync(string path, BootFileClient client, CancellationToken cancellationToken)
    {
        if (await inner.OpenAsync(path, client, cancellationToken).ConfigureAwait(false) is { } real)
        {
            return real;
        }

        if (_files.TryGetValue(path, out var generate) && generate(client) is { } text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return new BootFile(new MemoryStream(bytes, writable: false), bytes.Length);
        }

        return null;
    }
}
