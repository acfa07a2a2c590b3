namespace DhcpSharp.Boot.Tftp;

/// <summary>How a transfer talks to its client: its own socket, or port 69 shared with the listener.</summary>
internal interface ITftpChannel
{
    ValueTask SendAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken);

    /// <summary>The next packet from the client, or null on timeout.</summary>
    ValueTask<byte[]?> ReceiveAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken);
}
