using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace DhcpSharp.Protocol.Options;

/// <summary>DNS wire-format names (RFC 1035 §3.1, §4.1.4) as used by options 81 and 119.</summary>
public static class DnsName
{
    private const int MaxNameLength = 255;

    /// <summary>
    /// Reads one name at <paramref name="position"/>. Pointers must point strictly backwards, so a
    /// crafted pointer loop cannot make this run forever.
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> data, ref int position, bool allowCompression, [NotNullWhen(true)] out string? name, [NotNullWhen(false)] out string? error)
    {
        var builder = new StringBuilder();
        int cursor = position;
        int resumeAt = -1;
        int lowestTarget = position;
        while (true)
        {
            if (cursor >= data.Length)
            {
                name = null;
                error = $"name at byte {position} runs past the end without a root label";
                return false;
            }

            int length = data[cursor];
            if (length == 0)
            {
                cursor++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (!allowCompression || cursor + 1 >= data.Length)
                {
                    name = null;
                    error = $"bad compression pointer at byte {cursor}";
                    return false;
                }

                int target = ((length & 0x3F) << 8) | data[cursor + 1];
                if (target >= lowestTarget)
                {
                    name = null;
                    error = $"compression pointer at byte {cursor} does not point backwards";
                    return false;
                }

                if (resumeAt < 0)
                {
                    resumeAt = cursor + 2;
                }

                lowestTarget = target;
                cursor = target;
                continue;
            }

            if (length > 63 || cursor + 1 + length > data.Length)
            {
                name = null;
                error = $"label at byte {cursor} is malformed";
                return false;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Encoding.ASCII.GetString(data.Slice(cursor + 1, length)));
            if (builder.Length > MaxNameLength)
            {
                name = null;
                error = $"name at byte {position} is longer than 255 characters";
                return false;
            }

            cursor += 1 + length;
        }

        position = resumeAt >= 0 ? resumeAt : cursor;
        name = builder.ToString();
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a valid domain name (labels of 1-63 characters, 253 in all); false with the reason.</summary>
    public static bool TryValidate(string name, [NotNullWhen(false)] out string? error)
    {
        string trimmed = name.TrimEnd('.');
        if (trimmed.Length == 0 || trimmed.Length > 253)
        {
            error = $"\"{name}\" is not a domain name";
            return false;
        }

        foreach (var label in trimmed.Split('.'))
        {
            if (label.Length is 0 or > 63 || !Ascii.IsValid(label))
            {
                error = $"\"{name}\" has an empty, non-ASCII or over-long (63) label";
                return false;
            }
        }

        error = null;
        return true;
    }

    /// <summary>Writes names back to back; with <paramref name="compress"/>, repeated suffixes become pointers.</summary>
    internal static byte[] WriteList(IEnumerable<string> names, bool compress, bool fullyQualified = true)
    {
        var output = new List<byte>();
        var suffixes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            string[] labels = name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
            bool pointed = false;
            for (int i = 0; i < labels.Length; i++)
            {
                string suffix = string.Join('.', labels[i..]);
                if (compress && suffixes.TryGetValue(suffix, out int offset))
                {
                    output.Add((byte)(0xC0 | (offset >> 8)));
                    output.Add((byte)offset);
                    pointed = true;
                    break;
                }

                if (compress && output.Count < 0x3FFF)
                {
                    suffixes[suffix] = output.Count;
                }

                byte[] label = Encoding.ASCII.GetBytes(labels[i]);
                output.Add((byte)label.Length);
                output.AddRange(label);
            }

            if (!pointed && fullyQualified)
            {
                output.Add(0);
            }
        }

        return [.. output];
    }
}
