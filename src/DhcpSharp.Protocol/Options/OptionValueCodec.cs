using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace DhcpSharp.Protocol.Options;

/// <summary>
/// One value kind of the option table: how a value is read from and written to the wire, shown to a
/// person and written as JSON. Configuration files are not its business: their value forms live in
/// the server's configuration layer (DhcpSharp.Server.Configuration.OptionValueConfiguration).
/// </summary>
public abstract class OptionValueCodec<T>
    where T : notnull
{
    /// <summary>Kind name used in docs, the JSON Schema and <c>dhcpsharp options</c>.</summary>
    public abstract string KindName { get; }

    public abstract bool TryDecode(ReadOnlySpan<byte> data, [MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out string? error);

    public abstract byte[] Encode(T value);

    public abstract string Format(T value);

    public abstract void WriteJson(Utf8JsonWriter writer, T value);
}
