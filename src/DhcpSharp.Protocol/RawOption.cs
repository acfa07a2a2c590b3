namespace DhcpSharp.Protocol;

/// <summary>Which part of the message an option was found in.</summary>
public enum OptionRegion : byte
{
    Options = 0,
    File = 1,
    ServerName = 2,
}

/// <summary>One option TLV as it stands on the wire (not concatenated).</summary>
public readonly ref struct RawOption
{
    public RawOption(byte code, ReadOnlySpan<byte> value, int offset, OptionRegion region)
    {
        Code = code;
        Value = value;
        Offset = offset;
        Region = region;
    }

    public byte Code { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Offset of the code byte within the message.</summary>
    public int Offset { get; }

    public OptionRegion Region { get; }
}

/// <summary>
/// Walks the options of an already validated message in wire order: the options field, then
/// file and sname when option 52 says so (RFC 2131 §4.1). Pads are skipped one byte at a time.
/// </summary>
public ref struct RawOptionEnumerator
{
    private const OptionRegion Finished = (OptionRegion)255;
    private readonly ReadOnlySpan<byte> _message;
    private readonly OptionOverload _overload;
    private OptionRegion _region;
    private int _position;
    private int _end;
    private RawOption _current;

    internal RawOptionEnumerator(ReadOnlySpan<byte> message, OptionOverload overload)
    {
        _message = message;
        _overload = overload;
        _region = OptionRegion.Options;
        _position = DhcpHeaderLayout.Options;
        _end = message.Length;
        _current = default;
    }

    public readonly RawOption Current => _current;

    public readonly RawOptionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_region != Finished)
        {
            if (_position < _end)
            {
                byte code = _message[_position];
                if (code == DhcpOptionCode.Pad)
                {
                    _position++;
                    continue;
                }

                if (code != DhcpOptionCode.End && _position + 1 < _end)
                {
                    int length = _message[_position + 1];
                    int valueStart = _position + 2;
                    if (valueStart + length <= _end)
                    {
                        _current = new RawOption(code, _message.Slice(valueStart, length), _position, _region);
                        _position = valueStart + length;
                        return true;
                    }
                }
            }

            // End of this region (End option, end of field, or a truncation the validator already rejected).
            if (!NextRegion())
            {
                return false;
            }
        }

        return false;
    }

    private bool NextRegion()
    {
        if (_region == OptionRegion.Options && (_overload & OptionOverload.File) != 0)
        {
            _region = OptionRegion.File;
            _position = DhcpHeaderLayout.BootFile;
            _end = DhcpHeaderLayout.BootFile + DhcpHeaderLayout.BootFileSize;
            return true;
        }

        if (_region != OptionRegion.ServerName && (_overload & OptionOverload.ServerName) != 0)
        {
            _region = OptionRegion.ServerName;
            _position = DhcpHeaderLayout.ServerName;
            _end = DhcpHeaderLayout.ServerName + DhcpHeaderLayout.ServerNameSize;
            return true;
        }

        _position = _end = 0;
        _region = Finished;
        return false;
    }
}
