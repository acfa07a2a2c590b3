using System.Diagnostics.CodeAnalysis;

namespace DhcpSharp.Protocol.Options;

/// <summary>
/// The two exits of a Try method that has an out value and an out reason: the codecs' TryDecode
/// and the server's configuration parsers both end in one of these.
/// </summary>
public static class TryResult
{
    public static bool Fail<T>(string message, [MaybeNullWhen(false)] out T value, out string error)
    {
        value = default;
        error = message;
        return false;
    }

    public static bool Ok<T>(T result, out T value, out string? error)
    {
        value = result;
        error = null;
        return true;
    }
}
