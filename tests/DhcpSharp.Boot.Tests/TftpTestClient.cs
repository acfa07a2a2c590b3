using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DhcpSharp.Boot.Tftp;

namespace DhcpSharp.Boot.Tests;

/// <summary>One packet from the server and the endpoint (TID) it came from.</summary>
internal sealed record TftpReceived(byte[] Packet, IPEndPoint From)
{
    public TftpOpcode Opcode => (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(Packet);

    /// <summary>Block number of DATA/ACK, error code of ERROR.</summary>
    public ushort Number => BinaryPrimitives.ReadUInt16BigEndian(Packet.AsSpan(2));

    public ReadOnlySpan<byte> Payload => Packet.AsSpan(4);

    public string ErrorMessage => Encoding.ASCII.GetString(Packet.AsSpan(4)).TrimEnd('\0');

    public IReadOnlyDictionary<string, string> OptionAck
    {
        get
        {
            var fields = Encoding.ASCII.GetString(Packet.AsSpan(2)).Split('\0');
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i + 1 < fields.Length; i += 2)
            {
                result[fields[i]] = fields[i + 1];
            }

            return result;
        }
    }

    public override string ToString() => Opcode switch
    {
        TftpOpcode.Data => $"DATA {Number} ({Packet.Length - 4} bytes) from {From}",
        TftpOpcode.Ack => $"ACK {Number} from {From}",
        TftpOpcode.Error => $"ERROR {Number} \"{ErrorMessage}\" from {From}",
        TftpOpcode.OptionAck => $"OACK {string.Join(", ", OptionAck.Select(kv => $"{kv.Key}={kv.Value}"))} from {From}",
        _ => $"opcode {(int)Opcode} from {From}",
    };
}

/// <summary>The outcome of a full download by <see cref="TftpTestClient"/>.</summary>
internal sealed record TftpDownload(byte[] Data, IReadOnlyDictionary<string, string>? OptionAck, int DataPackets, int DuplicatePackets, IPEndPoint ServerTid);

/// <summary>
/// A deliberately small TFTP client over a raw UDP socket on 127.0.0.1: low-level sends and
/// receives for protocol tests, and a complete RFC 1350/2347/7440 download (block rollover to 0).
/// </summary>
internal sealed class TftpTestClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[70000];

    public TftpTestClient(int serverPort)
    {
        Server = new IPEndPoint(IPAddress.Loopback, serverPort);
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    /// <summary>The server's listening endpoint (port 69's stand-in).</summary>
    public IPEndPoint Server { get; }

    public IPEndPoint Local => (IPEndPoint)_socket.LocalEndPoint!;

    public static byte[] Request(TftpOpcode opcode, string file, string mode = "octet", params (string Name, string Value)[] options)
    {
        var bytes = new List<byte> { 0, (byte)opcode };
        void Field(string s)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(s));
            bytes.Add(0);
        }

        Field(file);
        Field(mode);
        foreach (var (name, value) in options)
        {
            Field(name);
            Field(value);
        }

        return [.. bytes];
    }

    public static byte[] Ack(ushort block) => TftpPacket.Ack(block);

    public static byte[] Error(TftpErrorCode code, string message) => TftpPacket.Error(code, message);

    public void SendTo(IPEndPoint to, byte[] packet) => _socket.SendTo(packet, to);

    public void SendRequest(string file, string mode = "octet", params (string Name, string Value)[] options) =>
        SendTo(Server, Request(TftpOpcode.ReadRequest, file, mode, options));

    /// <summary>The next packet, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<TftpReceived?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var result = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return new TftpReceived(_buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<TftpReceived> ExpectAsync(TimeSpan timeout, string what)
    {
        var packet = await ReceiveAsync(timeout);
        Assert.True(packet is not null, $"no packet from the server within {timeout.TotalSeconds:F1} s while waiting for {what}");
        return packet!;
    }

    /// <summary>
    /// Downloads <paramref name="file"/>: OACK handling, windowed ACKs (one per negotiated window,
    /// or on the last block), re-synchronising ACK on an out-of-order block, 16-bit block
    /// numbers rolling over to 0. Fails the test on an ERROR or when the server goes silent.
    /// </summary>
    public async Task<TftpDownload> DownloadAsync(string file, string mode = "octet", TimeSpan? silence = null, params (string Name, string Value)[] options)
    {
        var wait = silence ?? TimeSpan.FromSeconds(10);
        SendRequest(file, mode, options);
        using var data = new MemoryStream();
        int blockSize = 512;
        int window = 1;
        IReadOnlyDictionary<string, string>? oack = null;
        var first = await ExpectAsync(wait, $"the first reply to RRQ {file}");
        var tid = first.From;
        Assert.True(first.Opcode != TftpOpcode.Error, $"RRQ {file}: {first}");
        long expected = 1; // absolute number of the next block
        int inWindow = 0;
        int dataPackets = 0;
        int duplicates = 0;
        TftpReceived? packet = first;
        if (first.Opcode == TftpOpcode.OptionAck)
        {
            oack = first.OptionAck;
            if (oack.TryGetValue("blksize", out var b))
            {
                blockSize = int.Parse(b, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (oack.TryGetValue("windowsize", out var w))
            {
                window = int.Parse(w, System.Globalization.CultureInfo.InvariantCulture);
            }

            SendTo(tid, Ack(0));
            packet = null;
        }

        while (true)
        {
            packet ??= await ExpectAsync(wait, $"DATA {(ushort)expected} of {file}");
            Assert.True(packet.From.Equals(tid), $"packet from {packet.From}, transfer TID is {tid}");
            Assert.True(packet.Opcode == TftpOpcode.Data, $"expected DATA {(ushort)expected} of {file}, got {packet}");
            int length = packet.Packet.Length - 4;
            if (packet.Number == unchecked((ushort)expected))
            {
                Assert.True(length <= blockSize, $"DATA {packet.Number} has {length} bytes, blksize is {blockSize}");
                data.Write(packet.Payload);
                dataPackets++;
                expected++;
                inWindow++;
                if (length < blockSize)
                {
                    SendTo(tid, Ack(packet.Number));
                    return new TftpDownload(data.ToArray(), oack, dataPackets, duplicates, tid);
                }

                if (inWindow == window)
                {
                    SendTo(tid, Ack(packet.Number));
                    inWindow = 0;
                }
            }
            else
            {
                // RFC 7440: an unexpected block → ACK the last one received in order, the server resends from there.
                // In lock-step that is the re-ACK of a retransmitted block.
                duplicates++;
                SendTo(tid, Ack(unchecked((ushort)(expected - 1))));
                inWindow = 0;
            }

            packet = null;
        }
    }

    public void Dispose() => _socket.Dispose();
}
