using System.Diagnostics.CodeAnalysis;

namespace DhcpSharp.Protocol.Options;

/// <summary>
/// A set of option definitions keyed by code: the DHCPv4 table itself, or the sub-options of an
/// encapsulating option (PXE 43, relay agent 82, iPXE 175). Lookups are lock-free; registration
/// swaps in a new array, so readers on other threads never see a half-built table.
/// </summary>
public sealed class DhcpOptionSpace
{
    private volatile DhcpOptionDefinition?[] _byCode = new DhcpOptionDefinition?[256];
    private volatile Dictionary<string, DhcpOptionDefinition> _byKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _writeLock = new();

    public DhcpOptionSpace(string name, IEnumerable<DhcpOptionDefinition> definitions)
    {
        Name = name;
        foreach (var definition in definitions)
        {
            Register(definition);
        }
    }

    public string Name { get; }

    public IEnumerable<DhcpOptionDefinition> Definitions => _byCode.Where(d => d is not null)!;

    public DhcpOptionDefinition? this[byte code] => _byCode[code];

    public bool TryGet(byte code, [NotNullWhen(true)] out DhcpOptionDefinition? definition) => (definition = _byCode[code]) is not null;

    public bool TryGet(string configKey, [NotNullWhen(true)] out DhcpOptionDefinition? definition) =>
        _byKey.TryGetValue(configKey, out definition);

    /// <summary>Adds or replaces a definition (node-dhcp's addOption). Replacing keeps one key per code.</summary>
    public void Register(DhcpOptionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        lock (_writeLock)
        {
            var byCode = (DhcpOptionDefinition?[])_byCode.Clone();
            var byKey = new Dictionary<string, DhcpOptionDefinition>(_byKey, StringComparer.OrdinalIgnoreCase);
            if (byCode[definition.Code] is { } previous)
            {
                byKey.Remove(previous.ConfigKey);
            }

            if (byKey.TryGetValue(definition.ConfigKey, out var clash) && clash.Code != definition.Code)
            {
                throw new ArgumentException($"config key '{definition.ConfigKey}' already names option {clash.Code} in the {Name} space.", nameof(definition));
            }

            byCode[definition.Code] = definition;
            byKey[definition.ConfigKey] = definition;
            _byCode = byCode;
            _byKey = byKey;
        }
    }

    /// <summary>A copy to extend without touching this space.</summary>
    public DhcpOptionSpace Clone(string? name = null) => new(name ?? Name, Definitions);
}
