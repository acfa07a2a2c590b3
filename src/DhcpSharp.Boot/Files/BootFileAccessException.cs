namespace DhcpSharp.Boot.Files;

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
