using System.Collections;
using System.Diagnostics.CodeAnalysis;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Protocol;

/// <summary>One option as the message holds it: code and raw value (already joined if it was split).</summary>
public readonly record struct DhcpOption(byte Code, byte[] Value);

/// <summary>
/// The options of a message, in order, one entry per code, values as raw bytes. Unknown codes are
/// kept as they came and written back unchanged; typed access goes through the option table.
/// </summary>
public sealed class DhcpOptionCollection : IReadOnlyCollection<DhcpOption>
{
    private readonly List<DhcpOption> _options = [];

    public int Count => _options.Count;

    public bool Contains(byte code) => IndexOf(code) >= 0;

    public bool TryGetRaw(byte code, [NotNullWhen(true)] out byte[]? value)
    {
        int index = IndexOf(code);
        value = index >= 0 ? _options[index].Value : null;
        return index >= 0;
    }

    public byte[]? GetRaw(byte code) => TryGetRaw(code, out var value) ? value : null;

    /// <summary>Sets a raw value, keeping the option's position if it is already present.</summary>
    public void SetRaw(byte code, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (code is DhcpOptionCode.Pad or DhcpOptionCode.End)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "Pad (0) and End (255) are not options with values.");
        }

        int index = IndexOf(code);
        if (index >= 0)
        {
            _options[index] = new DhcpOption(code, value);
        }
        else
        {
            _options.Add(new DhcpOption(code, value));
        }
    }

    /// <summary>Adds bytes to an option (how RFC 3396 parts are joined on read).</summary>
    internal void Append(byte code, ReadOnlySpan<byte> value)
    {
        int index = IndexOf(code);
        if (index >= 0)
        {
            _options[index] = new DhcpOption(code, [.. _options[index].Value, .. value]);
        }
        else
        {
            _options.Add(new DhcpOption(code, value.ToArray()));
        }
    }

    public bool Remove(byte code)
    {
        int index = IndexOf(code);
        if (index >= 0)
        {
            _options.RemoveAt(index);
        }

        return index >= 0;
    }

    public void Clear() => _options.Clear();

    public bool TryGet<T>(DhcpOptionDefinition<T> definition, [MaybeNullWhen(false)] out T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(definition);
        value = default;
        return TryGetRaw(definition.Code, out var raw) && definition.TryDecode(raw, out value, out _);
    }

    /// <summary>The typed value, or <paramref name="fallback"/> when absent or malformed.</summary>
    public T GetOrDefault<T>(DhcpOptionDefinition<T> definition, T fallback)
        where T : notnull => TryGet(definition, out var value) ? value : fallback;

    public void Set<T>(DhcpOptionDefinition<T> definition, T value)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(definition);
        SetRaw(definition.Code, definition.Encode(value));
    }

    public IEnumerator<DhcpOption> GetEnumerator() => _options.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(byte code)
    {
        for (int i = 0; i < _options.Count; i++)
        {
            if (_options[i].Code == code)
            {
                return i;
            }
        }

        return -1;
    }
}
