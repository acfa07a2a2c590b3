namespace DhcpSharp.Boot.Files;

/// <summary>An opened file: a seekable stream and its length when known.</summary>
public sealed class BootFile(Stream content, long? length) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long? Length { get; } = length;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
