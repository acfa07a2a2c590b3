using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// Every lease row of a store, kept compactly: one 72-byte struct per row in one array, indexed
/// by address and by client (16-byte keys). A million leases fit in about 110 MB; records are
/// built only when someone asks for one. The embedded store keeps its truth here (and writes it
/// to SQLite); a shared store keeps a cache of what it has seen here.
/// </summary>
public sealed class LeaseTable
{
    private const byte FlagClientId = 1;
    private const byte FlagClientIdIsHardware = 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<uint, int> _byAddress = [];
    private readonly Dictionary<ClientSlotKey, int> _byClient = [];
    private readonly List<Extra?> _extras = [];
    private readonly Stack<int> _freeExtras = new();
    private readonly List<string?> _servers = [null];
    private Slot[] _slots = new Slot[64];
    private int _count;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void EnsureCapacity(int rows)
    {
        lock (_lock)
        {
            if (_slots.Length < rows)
            {
                Array.Resize(ref _slots, rows);
            }

            _byAddress.EnsureCapacity(rows);
            _byClient.EnsureCapacity(rows);
        }
    }

    public LeaseRecord? Find(IPv4Address address)
    {
        lock (_lock)
        {
            return _byAddress.TryGetValue(address.Value, out int slot) ? Build(slot) : null;
        }
    }

    /// <summary>The client's current lease: its active one if it has one, else the last it had.</summary>
    public LeaseRecord? FindByClient(string clientKey)
    {
        var key = ClientSlotKey.From(clientKey);
        lock (_lock)
        {
            if (!_byClient.TryGetValue(key, out int slot))
            {
                return null;
            }

            var record = Build(slot);
            return !key.IsHashed || record.ClientKey == clientKey ? record : null;
        }
    }

    /// <summary>The compare-and-set: writes <paramref name="lease"/> with the next version when the condition holds.</summary>
    public LeaseWriteResult Write(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            var current = _byAddress.TryGetValue(lease.Address.Value, out int slot) ? Build(slot) : null;
            if (!condition.IsMetBy(current, now))
            {
                return LeaseWriteResult.Conflict(current);
            }

            var written = lease with { Version = (current?.Version ?? 0) + 1 };
            PutLocked(written);
            return LeaseWriteResult.Success(written);
        }
    }

    /// <summary>Sets a row exactly as given (loading, or a cache learning what a shared store holds).</summary>
    public void Put(LeaseRecord lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            PutLocked(lease);
        }
    }

    public bool Remove(IPv4Address address)
    {
        lock (_lock)
        {
            if (!_byAddress.Remove(address.Value, out int slot))
            {
                return false;
            }

            ref var removed = ref _slots[slot];
            if (_byClient.TryGetValue(removed.Key, out int held) && held == slot)
            {
                _byClient.Remove(removed.Key);
            }

            FreeExtra(removed.Extra);
            int last = --_count;
            if (slot != last)
            {
                // Keep the array dense: the last row moves into the hole.
                _slots[slot] = _slots[last];
                _byAddress[_slots[slot].Address] = slot;
                if (_byClient.TryGetValue(_slots[slot].Key, out int moved) && moved == last)
                {
                    _byClient[_slots[slot].Key] = slot;
                }
            }

            _slots[last] = default;
            return true;
        }
    }

    public List<LeaseRecord> Snapshot()
    {
        lock (_lock)
        {
            var all = new List<LeaseRecord>(_count);
            for (int i = 0; i < _count; i++)
            {
                all.Add(Build(i));
            }

            return all;
        }
    }

    /// <summary>Calls <paramref name="visit"/> with address, state and expiry of every row (no records built).</summary>
    public void ForEach(Action<IPv4Address, LeaseState, DateTimeOffset> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        lock (_lock)
        {
            for (int i = 0; i < _count; i++)
            {
                ref var row = ref _slots[i];
                visit(new IPv4Address(row.Address), (LeaseState)row.State, FromStored(row.Expires));
            }
        }
    }

    private void PutLocked(LeaseRecord lease)
    {
        var key = ClientSlotKey.From(lease.ClientKey);
        bool exists = _byAddress.TryGetValue(lease.Address.Value, out int slot);
        if (!exists)
        {
            if (_count == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }

            slot = _count++;
            _byAddress[lease.Address.Value] = slot;
        }
        else if (_slots[slot].Key != key && _byClient.TryGetValue(_slots[slot].Key, out int previousHolder) && previousHolder == slot)
        {
            // The address changes hands: its last holder must not find it as "theirs" any more.
            _byClient.Remove(_slots[slot].Key);
        }

        ref var row = ref _slots[slot];
        FreeExtra(exists ? row.Extra : -1);
        row = Encode(lease, key);
        Remember(lease, key, slot);
    }

    /// <summary>Keeps the client index on each client's current lease: an ended one never hides an active one.</summary>
    private void Remember(LeaseRecord lease, ClientSlotKey key, int slot)
    {
        if (lease.State == LeaseState.Declined)
        {
            // The reporter (and whoever held it) must get a different address next time.
            if (_byClient.TryGetValue(key, out int held) && held == slot)
            {
                _byClient.Remove(key);
            }

            return;
        }

        if (lease.State is LeaseState.Offered or LeaseState.Bound || !_byClient.TryGetValue(key, out int current) || current == slot ||
            _slots[current].State is not ((byte)LeaseState.Offered or (byte)LeaseState.Bound))
        {
            _byClient[key] = slot;
        }
    }

    private Slot Encode(LeaseRecord lease, ClientSlotKey key)
    {
        var hardware = lease.HardwareAddress.AsSpan(0, Math.Min(lease.HardwareAddress.Length, 16));
        Span<byte> packed = stackalloc byte[16];
        packed.Clear();
        hardware.CopyTo(packed);
        byte flags = 0;
        byte[]? clientId = null;
        if (lease.ClientIdentifier is { } id)
        {
            flags |= FlagClientId;
            if (id.Length == hardware.Length + 1 && id[0] == lease.HardwareType && id.AsSpan(1).SequenceEqual(hardware))
            {
                flags |= FlagClientIdIsHardware;
            }
            else
            {
                clientId = id;
            }
        }

        string? otherKey = IsDerived(key, lease, hardware, flags, clientId) ? null : lease.ClientKey;
        int extra = clientId is null && lease.HostName is null && otherKey is null ? -1 : AddExtra(new Extra(clientId, lease.HostName, otherKey));
        return new Slot
        {
            Address = lease.Address.Value,
            State = (byte)lease.State,
            HardwareType = lease.HardwareType,
            HardwareLength = (byte)hardware.Length,
            Flags = flags,
            Hardware0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(packed),
            Hardware1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(packed[8..]),
            Start = ToStored(lease.Start),
            Expires = ToStored(lease.Expires),
            Version = lease.Version,
            Key = key,
            Extra = extra,
            Server = ServerIndex(lease.Server),
        };
    }

    private LeaseRecord Build(int index)
    {
        ref var row = ref _slots[index];
        Span<byte> packed = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(packed, row.Hardware0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(packed[8..], row.Hardware1);
        byte[] hardware = packed[..row.HardwareLength].ToArray();
        var extra = row.Extra >= 0 ? _extras[row.Extra] : null;
        byte[]? clientId = (row.Flags & FlagClientIdIsHardware) != 0 ? [row.HardwareType, .. hardware] : extra?.ClientId;
        string key = extra?.OtherKey ?? DerivedKey(row.HardwareType, hardware, row.Flags, extra?.ClientId);
        return new LeaseRecord(new IPv4Address(row.Address), key, row.HardwareType, hardware, clientId, extra?.HostName,
            (LeaseState)row.State, FromStored(row.Start), FromStored(row.Expires)) { Version = row.Version, Server = _servers[row.Server] };
    }

    /// <summary>Whether the client key is the one the fields imply (then it is not stored: most rows).</summary>
    private static bool IsDerived(ClientSlotKey key, LeaseRecord lease, ReadOnlySpan<byte> hardware, byte flags, byte[]? clientId)
    {
        var implied = clientId is { Length: > 0 } && (flags & FlagClientIdIsHardware) == 0
            ? ClientSlotKey.ForClientId(clientId)
            : ClientSlotKey.ForHardware(lease.HardwareType, hardware);
        return implied is { } exact ? exact == key : DerivedKey(lease.HardwareType, hardware, flags, clientId) == lease.ClientKey;
    }

    /// <summary>The key <see cref="ClientIdentity"/> gives such a client: "id:…" for a real client identifier, else "hw:type:mac".</summary>
    private static string DerivedKey(byte hardwareType, ReadOnlySpan<byte> hardware, byte flags, byte[]? clientId) =>
        (flags & FlagClientId) != 0 && (flags & FlagClientIdIsHardware) == 0 && clientId is { Length: > 0 }
            ? "id:" + Convert.ToHexStringLower(clientId)
            : $"hw:{hardwareType}:{Convert.ToHexStringLower(hardware)}";

    /// <summary>Server names are few (one per server sharing the store): each row keeps a small index.</summary>
    private ushort ServerIndex(string? server)
    {
        int index = _servers.IndexOf(server);
        if (index < 0)
        {
            if (_servers.Count == ushort.MaxValue)
            {
                return 0;
            }

            _servers.Add(server);
            index = _servers.Count - 1;
        }

        return (ushort)index;
    }

    private int AddExtra(Extra extra)
    {
        if (_freeExtras.TryPop(out int reused))
        {
            _extras[reused] = extra;
            return reused;
        }

        _extras.Add(extra);
        return _extras.Count - 1;
    }

    private void FreeExtra(int index)
    {
        if (index >= 0)
        {
            _extras[index] = null;
            _freeExtras.Push(index);
        }
    }

    /// <summary>Times as stores keep them: Unix milliseconds, long.MaxValue for "never".</summary>
    public static long ToStored(DateTimeOffset time) => time == DateTimeOffset.MaxValue ? long.MaxValue : time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromStored(long value) => value == long.MaxValue ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>What a row keeps besides the fixed fields: a client identifier that is not just the MAC, a host name, an unusual key.</summary>
    private sealed record Extra(byte[]? ClientId, string? HostName, string? OtherKey);

    private struct Slot
    {
        public uint Address;
        public byte State;
        public byte HardwareType;
        public byte HardwareLength;
        public byte Flags;
        public ulong Hardware0;
        public ulong Hardware1;
        public long Start;
        public long Expires;
        public long Version;
        public ClientSlotKey Key;
        public int Extra;
        public ushort Server;
    }
}
