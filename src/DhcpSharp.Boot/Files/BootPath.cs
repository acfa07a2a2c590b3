namespace DhcpSharp.Boot.Files;

/// <summary>Path rules shared by TFTP and HTTP: the client's name becomes a safe relative path or is refused.</summary>
public static class BootPath
{
    /// <summary>
    /// "\" becomes "/" (Windows-style ROMs), leading "/" is dropped (iPXE sends it), and any
    /// ".." segment, NUL or drive letter is refused.
    /// </summary>
    public static bool TryNormalize(string requested, out string path)
    {
        path = "";
        string unified = requested.Replace('\\', '/').TrimStart('/');
        if (unified.Length == 0 || unified.Contains('\0', StringComparison.Ordinal) || unified.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var segments = unified.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is ".." or "."))
        {
            return false;
        }

        path = string.Join('/', segments);
        return true;
    }
}
