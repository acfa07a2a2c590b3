using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace DhcpSharp.Protocol.Options;

/// <summary>
/// One row of the option table: code, human name, configuration key and value kind. The same row
/// drives parsing, writing and the human/JSON dump; the configuration key names it in files.
/// </summary>
public abstract class DhcpOptionDefinition
{
    protected DhcpOptionDefinition(byte code, string name, string configKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(configKey);
        Code = code;
        Name = name;
        ConfigKey = configKey;
    }

    public byte Code { get; }

    /// <summary>Human name, as in the RFC ("Domain Name Server").</summary>
    public string Name { get; }

    /// <summary>camelCase key in configuration files (node-dhcp's name where it had one: "dns").</summary>
    public string ConfigKey { get; }

    public abstract string KindName { get; }

    /// <summary>Decodes raw bytes for display; false with a reason when the bytes do not fit the kind.</summary>
    public abstract bool TryFormat(ReadOnlySpan<byte> data, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error);

    /// <summary>Writes the decoded value as JSON; false (nothing written) when the bytes do not fit the kind.</summary>
    public abstract bool TryWriteJson(Utf8JsonWriter writer, ReadOnlySpan<byte> data, [NotNullWhen(false)] out string? error);

    public override string ToString() => $"{Code} {ConfigKey} ({KindName})";
}

/// <summary>A table row whose value has the .NET type <typeparamref name="T"/>.</summary>
public sealed class DhcpOptionDefinition<T> : DhcpOptionDefinition
    where T : notnull
{
    public DhcpOptionDefinition(byte code, string name, string configKey, OptionValueCodec<T> codec)
        : base(code, name, configKey)
    {
        Codec = codec ?? throw new ArgumentNullException(nameof(codec));
    }

    public OptionValueCodec<T> Codec { get; }

    public override string KindName => Codec.KindName;

    public T Decode(ReadOnlySpan<byte> data) =>
        Codec.TryDecode(data, out var value, out var error)
            ? value
            : throw new FormatException($"option {Code} ({ConfigKey}): {error}");

    public bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? error) =>
        Codec.TryDecode(data, out value, out error);

    public byte[] Encode(T value) => Codec.Encode(value);

    public override bool TryFormat(ReadOnlySpan<byte> data, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error)
    {
        if (Codec.TryDecode(data, out var value, out error))
        {
            text = Codec.Format(value);
            return true;
        }

        text = null;
        return false;
    }

    public override bool TryWriteJson(Utf8JsonWriter writer, ReadOnlySpan<byte> data, [NotNullWhen(false)] out string? error)
    {
        if (Codec.TryDecode(data, out var value, out error))
        {
            Codec.WriteJson(writer, value);
            return true;
        }

        return false;
    }
}
