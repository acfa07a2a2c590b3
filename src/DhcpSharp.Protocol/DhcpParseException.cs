namespace DhcpSharp.Protocol;

/// <summary>Why a byte string is not a DHCP/BOOTP message.</summary>
public enum DhcpParseErrorKind
{
    None = 0,
    TooShort,
    BadMagicCookie,
    BadHardwareAddressLength,
    TruncatedOption,
    BadOverload,
    BadOperation,
}

/// <summary>A parse failure: what is wrong and at which byte offset of the message.</summary>
public readonly record struct DhcpParseError(DhcpParseErrorKind Kind, int Offset, string Message)
{
    public override string ToString() => $"{Message} (offset {Offset})";
}

/// <summary>
/// The only exception the parser throws: the bytes are not a well-formed DHCP/BOOTP message.
/// </summary>
public sealed class DhcpParseException : FormatException
{
    public DhcpParseException(DhcpParseError error)
        : base(error.ToString())
    {
        Error = error;
    }

    public DhcpParseException()
        : this(new DhcpParseError(DhcpParseErrorKind.None, 0, "unknown parse error"))
    {
    }

    public DhcpParseException(string message)
        : this(new DhcpParseError(DhcpParseErrorKind.None, 0, message))
    {
    }

    public DhcpParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new DhcpParseError(DhcpParseErrorKind.None, 0, message);
    }

    public DhcpParseError Error { get; }

    public int Offset => Error.Offset;
}
