using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DhcpSharp.Protocol;

/// <summary>Text form of hardware addresses: lower-case hex bytes joined by colons.</summary>
public static class HardwareAddress
{
    public static string Format(ReadOnlySpan<byte> address)
    {
        if (address.IsEmpty)
        {
            return "";
        }

        return string.Create(address.Length * 3 - 1, address.ToArray(), static (chars, bytes) =>
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                if (i > 0)
                {
                    chars[(i * 3) - 1] = ':';
                }

                bytes[i].TryFormat(chars[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
            }
        });
    }

    /// <summary>Accepts "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF" (node-dhcp's form) and "aabbccddeeff"; 1 to 16 bytes.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out byte[]? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string compact = text.Trim().Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        if (compact.Length == 0 || compact.Length % 2 != 0 || compact.Length > 32 || !compact.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        address = Convert.FromHexString(compact);
        return true;
    }

    public static byte[] Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a hardware address such as aa:bb:cc:dd:ee:ff.");
}
