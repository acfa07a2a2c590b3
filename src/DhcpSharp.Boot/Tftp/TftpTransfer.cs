using System.Globalization;
using System.Net;
using DhcpSharp.Boot.Files;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Boot.Tftp;

/// <summary>
/// One read transfer. Sends a window of blocks, waits for the ACK of the window's last block;
/// an earlier ACK slides the window to the block after it (RFC 7440); a timeout resends from the
/// first unacknowledged block with a doubling timeout. With a window of 1 a duplicate ACK is
/// ignored, never answered with a resend (the Sorcerer's Apprentice bug of RFC 1350).
/// </summary>
internal sealed partial class TftpTransfer(TftpRequest request, IPEndPoint remote, ITftpChannel channel, IBootFileProvider files, TftpServerOptions options, int blockSizeLimit, TimeProvider time, ILogger logger)
{
    private const int DefaultBlockSize = 512;
    private const int MaximumBlockSize = 65464;
    private static readonly TimeSpan MaximumTimeout = TimeSpan.FromSeconds(16);

    /// <summary>Runs the transfer; true when the client got the file or ended it on purpose.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        if (request.Mode is not ("octet" or "netascii"))
        {
            await SendErrorAsync(TftpErrorCode.IllegalOperation, $"mode {request.Mode} is not supported", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (!BootPath.TryNormalize(request.FileName, out string path))
        {
            Refused(logger, remote.ToString(), request.FileName);
            await SendErrorAsync(TftpErrorCode.AccessViolation, "illegal file name", cancellationToken).ConfigureAwait(false);
            return false;
        }

        BootFile? file;
        try
        {
            file = await files.OpenAsync(path, new BootFileClient(remote), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BootFileAccessException or UnauthorizedAccessException)
        {
            Refused(logger, remote.ToString(), request.FileName);
            await SendErrorAsync(TftpErrorCode.AccessViolation, "access denied", cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (file is null)
        {
            // PXELINUX probes about ten config names; a missing file is routine, not a failure.
            NotFound(logger, remote.ToString(), path);
            await SendErrorAsync(TftpErrorCode.FileNotFound, "file not found", cancellationToken).ConfigureAwait(false);
            return true;
        }

        await using (file.ConfigureAwait(false))
        {
            Stream data = file.Content;
            if (request.Mode == "netascii")
            {
                data = NetAscii.Encode(data);
            }
            else if (!data.CanSeek)
            {
                var copy = new MemoryStream();
                await data.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                data = copy;
            }

            long length = data.Length;
            return await SendAsync(path, data, length, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> SendAsync(string path, Stream data, long length, CancellationToken cancellationToken)
    {
        int blockSize = DefaultBlockSize;
        int window = 1;
        var timeout = options.Timeout;
        var accepted = new List<KeyValuePair<string, string>>();
        if (request.Options.TryGetValue("blksize", out var b) && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out int wanted) && wanted >= 8)
        {
            blockSize = Math.Min(Math.Min(wanted, blockSizeLimit), MaximumBlockSize);
            accepted.Add(new("blksize", blockSize.ToString(CultureInfo.InvariantCulture)));
        }

        if (request.Options.ContainsKey("tsize"))
        {
            accepted.Add(new("tsize", length.ToString(CultureInfo.InvariantCulture)));
        }

        if (request.Options.TryGetValue("timeout", out var t) && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds is >= 1 and <= 255)
        {
            timeout = TimeSpan.FromSeconds(seconds);
            accepted.Add(new("timeout", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        if (request.Options.TryGetValue("windowsize", out var w) && int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out int windowWanted) && windowWanted is >= 1 and <= 65535)
        {
            window = Math.Min(windowWanted, options.MaximumWindowSize);
            accepted.Add(new("windowsize", window.ToString(CultureInfo.InvariantCulture)));
        }

        var receive = new byte[MaximumBlockSize + 4];
        if (accepted.Count > 0)
        {
            var optionAck = TftpPacket.OptionAck(accepted);
            switch (await ExchangeAsync(optionAck, 0, receive, timeout, cancellationToken).ConfigureAwait(false))
            {
                case (Outcome.Acknowledged, _):
                    break;
                case (Outcome.ClientError, var code):
                    // OVMF asks for tsize, then aborts with error 8: a size probe, not a failure.
                    Aborted(logger, remote.ToString(), path, (int)code);
                    return code == TftpErrorCode.OptionNegotiation;
                default:
                    return false;
            }
        }

        long totalBlocks = (length / blockSize) + 1;
        long acknowledged = 0;
        var packet = new byte[blockSize + 4];
        int retries = 0;
        var currentTimeout = timeout;
        long started = time.GetTimestamp();
        while (true)
        {
            long windowEnd = Math.Min(acknowledged + window, totalBlocks);
            for (long block = acknowledged + 1; block <= windowEnd; block++)
            {
                data.Position = (block - 1) * blockSize;
                int read = data.ReadAtLeast(packet.AsSpan(4, blockSize), blockSize, throwOnEndOfStream: false);
                int size = TftpPacket.WriteData(packet, unchecked((ushort)block), packet.AsSpan(4, read));
                await channel.SendAsync(packet.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                var reply = await channel.ReceiveAsync(receive, currentTimeout, cancellationToken).ConfigureAwait(false);
                if (reply is null)
                {
                    if (++retries > options.Retries)
                    {
                        TimedOut(logger, remote.ToString(), path, acknowledged, totalBlocks);
                        return false;
                    }

                    currentTimeout = currentTimeout * 2 < MaximumTimeout ? currentTimeout * 2 : MaximumTimeout;
                    break; // resend from the first unacknowledged block
                }

                if (TftpPacket.TryParseError(reply, out var code, out _))
                {
                    Aborted(logger, remote.ToString(), path, (int)code);
                    return false;
                }

                if (!TftpPacket.TryParseAck(reply, out ushort ack) || !TryMapAck(ack, acknowledged, windowEnd, out long block))
                {
                    continue;
                }

                if (block == acknowledged && window == 1)
                {
                    continue; // duplicate ACK in lock-step: ignore (Sorcerer's Apprentice)
                }

                retries = 0;
                currentTimeout = timeout;
                acknowledged = block;
                if (acknowledged == totalBlocks)
                {
                    Completed(logger, remote.ToString(), path, length, blockSize, window, time.GetElapsedTime(started).TotalMilliseconds);
                    return true;
                }

                break;
            }
        }
    }

    /// <summary>Maps a 16-bit ACK number onto the absolute block range [acknowledged, windowEnd] (rollover).</summary>
    private static bool TryMapAck(ushort ack, long acknowledged, long windowEnd, out long block)
    {
        for (block = windowEnd; block >= acknowledged; block--)
        {
            if (unchecked((ushort)block) == ack)
            {
                return true;
            }
        }

        return false;
    }

    private enum Outcome
    {
        Acknowledged,
        ClientError,
        TimedOut,
    }

    /// <summary>Sends a packet and waits for the ACK of <paramref name="block"/>, resending on timeout.</summary>
    private async Task<(Outcome, TftpErrorCode)> ExchangeAsync(byte[] packet, ushort block, byte[] receive, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = timeout;
        for (int attempt = 0; attempt <= options.Retries; attempt++)
        {
            await channel.SendAsync(packet, cancellationToken).ConfigureAwait(false);
            long sent = time.GetTimestamp();
            for (var left = current; left > TimeSpan.Zero; left = current - time.GetElapsedTime(sent))
            {
                var reply = await channel.ReceiveAsync(receive, left, cancellationToken).ConfigureAwait(false);
                if (reply is null)
                {
                    break;
                }

                if (TftpPacket.TryParseError(reply, out var code, out _))
                {
                    return (Outcome.ClientError, code);
                }

                if (TftpPacket.TryParseAck(reply, out ushort ack) && ack == block)
                {
                    return (Outcome.Acknowledged, default);
                }
            }

            current = current * 2 < MaximumTimeout ? current * 2 : MaximumTimeout;
        }

        return (Outcome.TimedOut, default);
    }

    private async Task SendErrorAsync(TftpErrorCode code, string message, CancellationToken cancellationToken) =>
        await channel.SendAsync(TftpPacket.Error(code, message), cancellationToken).ConfigureAwait(false);

    [LoggerMessage(410, LogLevel.Information, "TFTP sent {File} to {Client}: {Bytes} bytes, blksize {BlockSize}, window {Window}, {Milliseconds:F0} ms")]
    private static partial void Completed(ILogger logger, string client, string file, long bytes, int blockSize, int window, double milliseconds);

    [LoggerMessage(411, LogLevel.Debug, "TFTP {Client} asked for {File}: not found")]
    private static partial void NotFound(ILogger logger, string client, string file);

    [LoggerMessage(412, LogLevel.Warning, "TFTP {Client} asked for {File}: refused (outside the root or not allowed)")]
    private static partial void Refused(ILogger logger, string client, string file);

    [LoggerMessage(413, LogLevel.Debug, "TFTP {Client} ended the transfer of {File} with error {Code}")]
    private static partial void Aborted(ILogger logger, string client, string file, int code);

    [LoggerMessage(414, LogLevel.Warning, "TFTP transfer of {File} to {Client} timed out after block {Acknowledged} of {Total}")]
    private static partial void TimedOut(ILogger logger, string client, string file, long acknowledged, long total);
}
