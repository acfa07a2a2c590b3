using System.Buffers.Binary;

namespace DhcpSharp.Protocol.Capture;

/// <summary>A classic libpcap file is malformed.</summary>
public sealed class PcapFormatException : Exception
{
    public PcapFormatException(string message)
        : base(message)
    {
    }

    public PcapFormatException()
    {
    }

    public PcapFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One captured frame.</summary>
public sealed record PcapRecord(DateTimeOffset Timestamp, byte[] Data, int OriginalLength);

/// <summary>
/// Reads classic libpcap files (both byte orders, micro- and nanosecond variants). Managed only,
/// so decoding captures needs no native libpcap. pcapng is recognised and refused clearly.
/// </summary>
public sealed class PcapReader : IDisposable
{
    private const uint MagicMicroseconds = 0xa1b2c3d4;
    private const uint MagicNanoseconds = 0xa1b23c4d;
    private const uint PcapNgMagic = 0x0a0d0d0a;
    private const int MaximumRecordLength = 256 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly bool _bigEndian;
    private readonly bool _nanoseconds;
    private readonly byte[] _recordHeader = new byte[16];
    private long _position;

    public PcapReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        Span<byte> header = stackalloc byte[24];
        if (ReadFully(header) != header.Length)
        {
            throw new PcapFormatException("file is shorter than the 24-byte pcap header");
        }

        uint magicLittle = BinaryPrimitives.ReadUInt32LittleEndian(header);
        uint magicBig = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magicLittle is MagicMicroseconds or MagicNanoseconds)
        {
            _nanoseconds = magicLittle == MagicNanoseconds;
        }
        else if (magicBig is MagicMicroseconds or MagicNanoseconds)
        {
            _bigEndian = true;
            _nanoseconds = magicBig == MagicNanoseconds;
        }
        else if (magicLittle == PcapNgMagic)
        {
            throw new PcapFormatException("this is a pcapng file; convert it with 'editcap -F pcap IN OUT' or capture with 'dumpcap -P'");
        }
        else
        {
            throw new PcapFormatException($"not a pcap file (magic 0x{magicBig:x8})");
        }

        LinkType = (int)ReadUInt32(header[20..]);
        SnapshotLength = (int)Math.Min(ReadUInt32(header[16..]), int.MaxValue);
    }

    /// <summary>LINKTYPE_* value of the file (1 Ethernet, 113 Linux SLL, 276 Linux SLL2, 101 raw IP).</summary>
    public int LinkType { get; }

    public int SnapshotLength { get; }

    public static PcapReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));

    /// <summary>The next record, or null at end of file. A truncated last record is an error.</summary>
    public PcapRecord? ReadNext()
    {
        long recordStart = _position;
        int got = ReadFully(_recordHeader);
        if (got == 0)
        {
            return null;
        }

        if (got != _recordHeader.Length)
        {
            throw new PcapFormatException($"record header at byte {recordStart} is truncated");
        }

        uint seconds = ReadUInt32(_recordHeader);
        uint fraction = ReadUInt32(_recordHeader.AsSpan(4));
        uint included = ReadUInt32(_recordHeader.AsSpan(8));
        uint original = ReadUInt32(_recordHeader.AsSpan(12));
        if (included > MaximumRecordLength)
        {
            throw new PcapFormatException($"record at byte {recordStart} claims {included} bytes; this reader accepts at most {MaximumRecordLength}");
        }

        var data = new byte[included];
        if (ReadFully(data) != data.Length)
        {
            throw new PcapFormatException($"record at byte {recordStart} is truncated ({included} bytes announced)");
        }

        long ticks = _nanoseconds ? fraction / 100 : fraction * 10L;
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks);
        return new PcapRecord(timestamp, data, (int)Math.Min(original, int.MaxValue));
    }

    public IEnumerable<PcapRecord> ReadAll()
    {
        while (ReadNext() is { } record)
        {
            yield return record;
        }
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private uint ReadUInt32(ReadOnlySpan<byte> source) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(source) : BinaryPrimitives.ReadUInt32LittleEndian(source);

    private int ReadFully(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = _stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        _position += total;
        return total;
    }
}
