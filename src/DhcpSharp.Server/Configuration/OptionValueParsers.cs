using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using static DhcpSharp.Protocol.Options.TryResult;

namespace DhcpSharp.Server.Configuration;

/// <summary>Reads one configuration value of an option kind; false with the reason when it does not fit.</summary>
internal delegate bool OptionValueParser<T>(JsonElement element, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? error);

/// <summary>
/// The configuration forms of option values: scalars and lists here, structured kinds in
/// OptionValueParsers.Structured.cs. The wire codecs know nothing of these forms.
/// </summary>
internal static partial class OptionValueParsers
{
    private const string HexExample = "expected hex bytes such as \"0a1b2c\" or \"0a:1b:2c\"";

    /// <summary>The string, or null for any other kind (GetString would throw on numbers and objects).</summary>
    internal static string? StringOf(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    /// <summary>Accepts "0a1b", "0a:1b", "0a-1b", "0a 1b" and a leading 0x (operators paste all of them).</summary>
    internal static bool TryParseHex(string? text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text is null)
        {
            return false;
        }

        string compact = text.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (compact.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            compact = compact[2..];
        }

        if (compact.Length % 2 != 0 || !compact.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        bytes = Convert.FromHexString(compact);
        return true;
    }

    public static bool Hex(JsonElement element, [MaybeNullWhen(false)] out byte[] value, [NotNullWhen(false)] out string? error) =>
        TryParseHex(StringOf(element), out var bytes)
            ? Ok(bytes, out value, out error)
            : Fail($"{HexExample}, got {element.GetRawText()}", out value, out error);

    public static bool IPv4(JsonElement element, out IPv4Address value, [NotNullWhen(false)] out string? error) =>
        IPv4Address.TryParse(StringOf(element), out value)
            ? Ok(value, out value, out error)
            : Fail($"expected an IPv4 address such as \"192.0.2.1\", got {element.GetRawText()}", out value, out error);

    public static bool Number<T>(JsonElement element, out T value, [NotNullWhen(false)] out string? error)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out long number) &&
            number >= long.CreateSaturating(T.MinValue) && number <= long.CreateSaturating(T.MaxValue))
        {
            return Ok(T.CreateChecked(number), out value, out error);
        }

        return Fail($"expected a whole number from {T.MinValue} to {T.MaxValue}, got {element.GetRawText()}", out value, out error);
    }

    public static bool Bool(JsonElement element, out bool value, [NotNullWhen(false)] out string? error) =>
        element.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? Ok(element.GetBoolean(), out value, out error)
            : Fail($"expected true or false, got {element.GetRawText()}", out value, out error);

    public static bool Text(JsonElement element, [MaybeNullWhen(false)] out string value, [NotNullWhen(false)] out string? error) =>
        StringOf(element) is { } text
            ? Ok(text, out value, out error)
            : Fail($"expected a string, got {element.GetRawText()}", out value, out error);

    /// <summary>A list, or a single value where a list is expected (the common shorthand "dns": "192.0.2.53").</summary>
    public static OptionValueParser<IReadOnlyList<T>> List<T>(OptionValueParser<T> parseItem) =>
        (JsonElement element, [MaybeNullWhen(false)] out IReadOnlyList<T> value, [NotNullWhen(false)] out string? error) =>
        {
            value = null;
            if (element.ValueKind != JsonValueKind.Array)
            {
                if (!parseItem(element, out var single, out error))
                {
                    return false;
                }

                value = [single];
                return true;
            }

            var list = new List<T>();
            int index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (!parseItem(item, out var parsed, out error))
                {
                    error = $"item {index}: {error}";
                    return false;
                }

                list.Add(parsed);
                index++;
            }

            return Ok<IReadOnlyList<T>>(list, out value, out error);
        };

    public static bool IPv4Pairs(JsonElement element, [MaybeNullWhen(false)] out IReadOnlyList<IPv4Pair> value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.Array)
        {
            error = "expected a list of [address, address] pairs";
            return false;
        }

        var list = new List<IPv4Pair>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2)
            {
                error = $"expected a pair [address, address], got {item.GetRawText()}";
                return false;
            }

            if (!IPv4(item[0], out var first, out error) || !IPv4(item[1], out var second, out error))
            {
                return false;
            }

            list.Add(new IPv4Pair(first, second));
        }

        return Ok<IReadOnlyList<IPv4Pair>>(list, out value, out error);
    }

    /// <summary>A one-byte value by name (case-insensitive) or number (53, 52, 46, 116).</summary>
    public static OptionValueParser<byte> Named(OptionCodecs.NamedByteCodec codec) =>
        (JsonElement element, out byte value, [NotNullWhen(false)] out string? error) =>
        {
            if (StringOf(element) is not { } text)
            {
                return Number(element, out value, out error);
            }

            foreach (var (code, name) in codec.Names)
            {
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return Ok(code, out value, out error);
                }
            }

            return Fail($"expected one of {string.Join(", ", codec.Names.Values)} or a number, got \"{text}\"", out value, out error);
        };

    /// <summary>Option 55: codes or option names, ["netmask", "router", 6].</summary>
    public static OptionValueParser<IReadOnlyList<byte>> CodesOrNames(DhcpOptionSpace space) =>
        List((JsonElement item, out byte code, [NotNullWhen(false)] out string? error) =>
        {
            if (StringOf(item) is not { } name)
            {
                return Number(item, out code, out error);
            }

            return space.TryGet(name, out var definition)
                ? Ok(definition.Code, out code, out error)
                : Fail($"no option is named \"{name}\"", out code, out error);
        });
}
