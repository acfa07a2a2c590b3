namespace DhcpSharp.Boot.Files;

/// <summary>Where TFTP (and the HTTP boot server) get files. Null: not found.</summary>
public interface IBootFileProvider
{
    /// <summary>Opens <paramref name="path"/> (already normalised: relative, forward slashes, no ".." segments).</summary>
    ValueTask<BootFile?> OpenAsync(string path, BootFileClient client, CancellationToken cancellationToken);
}
