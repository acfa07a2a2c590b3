using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// The lease state machine and address bookkeeping: which address each client holds, which are
/// free, offered, bound, declined. All decisions happen under one short lock with no I/O inside;
/// callers persist the returned records. Expiries sit in a min-heap, so reclaiming costs
/// O(log n) per lease and nothing ever scans a pool.
/// </summary>
public sealed class LeaseManager
{
    private AddressPlan _plan;
    private DhcpServerOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<IPv4Address, LeaseRecord> _byAddress = [];
    private readonly Dictionary<string, LeaseRecord> _byClient = new(StringComparer.Ordinal);
    private readonly PriorityQueue<IPv4Address, DateTimeOffset> _expiries = new();
    private readonly Lock _lock = new();

    public LeaseManager(AddressPlan plan, DhcpServerOptions options, TimeProvider time)
    {
        _plan = plan ?? throw new ArgumentNullException(nameof(plan));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public AddressPlan Plan => _plan;

    /// <summary>
    /// Takes a new address plan (a reload): every active lease, offer and probation keeps its
    /// address out of the new pools, expiry tracking carries on, and from now on only requests
    /// placed with the new plan may allocate (others get <see cref="LeaseOutcome.Stale"/>).
    /// </summary>
    public void Reconfigure(AddressPlan plan, DhcpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var lease in _byAddress.Values)
            {
                if (IsActive(lease, now))
                {
                    plan.LinkContaining(lease.Address)?.PoolOf(lease.Address)?.Addresses.TryTake(lease.Address);
                }
            }

            _plan = plan;
            _options = options;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byAddress.Count;
            }
        }
    }

    /// <summary>Rebuilds state from the store at start-up. Records outside every configured subnet are dropped.</summary>
    public int Load(IEnumerable<LeaseRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var now = _time.GetUtcNow();
        int loaded = 0;
        lock (_lock)
        {
            foreach (var record in records)
            {
                var link = _plan.LinkContaining(record.Address);
                if (link is null || record.State == LeaseState.Offered)
                {
                    continue;
                }

                var lease = record.Expires <= now && record.State is LeaseState.Bound or LeaseState.Declined
                    ? record with { State = LeaseState.Expired }
                    : record;
                if (IsActive(lease, now))
                {
                    link.PoolOf(lease.Address)?.Addresses.TryTake(lease.Address);
                    _expiries.Enqueue(lease.Address, lease.Expires);
                }

                Remember(lease);
                loaded++;
            }
        }

        return loaded;
    }

    public LeaseRecord? FindByAddress(IPv4Address address)
    {
        lock (_lock)
        {
            return _byAddress.GetValueOrDefault(address);
        }
    }

    public LeaseRecord? FindByClient(string clientKey)
    {
        lock (_lock)
        {
            return _byClient.GetValueOrDefault(clientKey);
        }
    }

    public IReadOnlyList<LeaseRecord> Snapshot()
    {
        lock (_lock)
        {
            return [.. _byAddress.Values];
        }
    }

    /// <summary>
    /// Picks an address for a DISCOVER: the client's reservation, its current or previous
    /// address, the address it asked for, then the longest-free address of an admitted pool.
    /// </summary>
    public LeaseDecision Offer(ClientIdentity client, ServedLink link, IReadOnlyList<string> classes, IPv4Address? reserved, IPv4Address? requested, string? hostName)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (link.Plan != _plan)
            {
                return LeaseDecision.Stale;
            }

            ReclaimExpiredLocked(now, null);
            var expires = now + _options.OfferTime;
            if (reserved is { } fixedAddress)
            {
                return _byAddress.TryGetValue(fixedAddress, out var holder) && holder.ClientKey != client.Key && IsActive(holder, now)
                    ? LeaseDecision.Refused($"reserved address {fixedAddress} is in use by {holder.ClientKey}")
                    : LeaseDecision.Granted(HoldForOffer(client, fixedAddress, hostName, now, expires));
            }

            if (_byClient.TryGetValue(client.Key, out var previous) && link.Contains(previous.Address) && previous.State != LeaseState.Declined)
            {
                if (IsActive(previous, now))
                {
                    return LeaseDecision.Granted(HoldForOffer(client, previous.Address, hostName, now, expires));
                }

                if (TryTakeAdmitted(link, classes, previous.Address))
                {
                    return LeaseDecision.Granted(HoldForOffer(client, previous.Address, hostName, now, expires));
                }
            }

            if (requested is { } wanted && link.Contains(wanted) && TryTakeAdmitted(link, classes, wanted))
            {
                return LeaseDecision.Granted(HoldForOffer(client, wanted, hostName, now, expires));
            }

            foreach (var pool in link.Pools)
            {
                if (pool.Admits(classes) && pool.Addresses.TryTakeAny(out var address))
                {
                    return LeaseDecision.Granted(HoldForOffer(client, address, hostName, now, expires));
                }
            }

            return new LeaseDecision(LeaseOutcome.Exhausted, null, $"no free address on {link.Name}");
        }
    }

    /// <summary>
    /// Binds <paramref name="address"/> for a REQUEST (any state). Granted when the client already
    /// holds it, or when it is free and admitted for the client; refused when it belongs to
    /// someone else, is declined, or is outside this link.
    /// </summary>
    public LeaseDecision Commit(ClientIdentity client, ServedLink link, IReadOnlyList<string> classes, IPv4Address? reserved, IPv4Address address, TimeSpan leaseTime, string? hostName)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (link.Plan != _plan)
            {
                return LeaseDecision.Stale;
            }

            ReclaimExpiredLocked(now, null);
            if (!link.Contains(address))
            {
                return LeaseDecision.Refused($"{address} is not on {link.Name}");
            }

            if (reserved is { } fixedAddress && fixedAddress != address)
            {
                return LeaseDecision.Refused($"client is reserved {fixedAddress}, asked for {address}");
            }

            var expires = leaseTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : now + leaseTime;
            if (_byAddress.TryGetValue(address, out var current) && IsActive(current, now))
            {
                if (current.ClientKey != client.Key)
                {
                    return LeaseDecision.Refused($"{address} is {(current.State == LeaseState.Declined ? "declined" : $"held by {current.ClientKey}")}");
                }

                return LeaseDecision.Granted(Bind(client, address, hostName, current.State == LeaseState.Bound ? current.Start : now, expires));
            }

            bool isReservedForClient = reserved == address;
            if (_plan.ReservedAddresses.ContainsKey(address) && !isReservedForClient)
            {
                return LeaseDecision.Refused($"{address} is reserved for another client");
            }

            if (!isReservedForClient && !TryTakeAdmitted(link, classes, address))
            {
                return LeaseDecision.Refused($"{address} is not a free address this client may use");
            }

            return LeaseDecision.Granted(Bind(client, address, hostName, now, expires));
        }
    }

    /// <summary>The client gives its address back (RELEASE).</summary>
    public LeaseDecision Release(ClientIdentity client, IPv4Address address)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_byAddress.TryGetValue(address, out var current) || current.ClientKey != client.Key || !IsActive(current, now) || current.State == LeaseState.Declined)
            {
                return LeaseDecision.Ignored($"{client} holds no lease on {address}");
            }

            var released = current with { State = LeaseState.Released, Expires = now };
            Remember(released);
            _plan.LinkContaining(address)?.PoolOf(address)?.Addresses.Return(address);
            return LeaseDecision.Granted(released);
        }
    }

    /// <summary>A client found its address in use (DECLINE): keep it out of use for the probation time.</summary>
    public LeaseDecision Decline(ClientIdentity client, IPv4Address address)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_byAddress.TryGetValue(address, out var current) || current.ClientKey != client.Key)
            {
                return LeaseDecision.Ignored($"{client} was not given {address}");
            }

            return LeaseDecision.Granted(Quarantine(address, client.Key, now));
        }
    }

    /// <summary>Something else answers on this address (ping check): keep it out of use, like a DECLINE.</summary>
    public LeaseRecord Quarantine(IPv4Address address, string reportedBy)
    {
        lock (_lock)
        {
            return Quarantine(address, reportedBy, _time.GetUtcNow());
        }
    }

    /// <summary>A client chose another server's offer: free what we held for it.</summary>
    public void Withdraw(ClientIdentity client)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_byClient.TryGetValue(client.Key, out var current) && current.State == LeaseState.Offered && IsActive(current, now))
            {
                Remember(current with { State = LeaseState.Expired, Expires = now });
                _plan.LinkContaining(current.Address)?.PoolOf(current.Address)?.Addresses.Return(current.Address);
            }
        }
    }

    /// <summary>Ends every lease, offer and probation whose time is up; returns the leases that expired.</summary>
    public IReadOnlyList<LeaseRecord> ReclaimExpired()
    {
        var expired = new List<LeaseRecord>();
        lock (_lock)
        {
            ReclaimExpiredLocked(_time.GetUtcNow(), expired);
        }

        return expired;
    }

    private void ReclaimExpiredLocked(DateTimeOffset now, List<LeaseRecord>? expired)
    {
        while (_expiries.TryPeek(out var address, out var when) && when <= now)
        {
            _expiries.Dequeue();
            if (!_byAddress.TryGetValue(address, out var lease) || lease.Expires > now ||
                lease.State is LeaseState.Expired or LeaseState.Released)
            {
                continue; // stale heap entry: renewed, released or already reclaimed
            }

            var ended = lease with { State = LeaseState.Expired };
            Remember(ended);
            _plan.LinkContaining(address)?.PoolOf(address)?.Addresses.Return(address);
            if (lease.State == LeaseState.Bound)
            {
                expired?.Add(ended);
            }
        }
    }

    private static bool TryTakeAdmitted(ServedLink link, IReadOnlyList<string> classes, IPv4Address address)
    {
        var pool = link.PoolOf(address);
        return pool is not null && pool.Admits(classes) && pool.Addresses.TryTake(address);
    }

    private LeaseRecord HoldForOffer(ClientIdentity client, IPv4Address address, string? hostName, DateTimeOffset now, DateTimeOffset expires)
    {
        if (_byAddress.TryGetValue(address, out var current) && current.ClientKey == client.Key && current.State == LeaseState.Bound && current.Expires > now)
        {
            return current; // an offer never shortens a bound lease
        }

        ForgetPreviousAddress(client, address);
        var offered = new LeaseRecord(address, client.Key, client.HardwareType, client.HardwareAddress, client.ClientIdentifier, hostName, LeaseState.Offered, now, expires);
        Remember(offered);
        _expiries.Enqueue(address, expires);
        return offered;
    }

    private LeaseRecord Bind(ClientIdentity client, IPv4Address address, string? hostName, DateTimeOffset start, DateTimeOffset expires)
    {
        ForgetPreviousAddress(client, address);
        var bound = new LeaseRecord(address, client.Key, client.HardwareType, client.HardwareAddress, client.ClientIdentifier, hostName, LeaseState.Bound, start, expires);
        Remember(bound);
        _expiries.Enqueue(address, expires);
        return bound;
    }

    private LeaseRecord Quarantine(IPv4Address address, string reportedBy, DateTimeOffset now)
    {
        var until = now + _options.DeclineProbation;
        var existing = _byAddress.GetValueOrDefault(address);
        var declined = new LeaseRecord(address, reportedBy, existing?.HardwareType ?? 0, existing?.HardwareAddress ?? [], existing?.ClientIdentifier, null, LeaseState.Declined, now, until);
        _plan.LinkContaining(address)?.PoolOf(address)?.Addresses.TryTake(address);
        _byAddress[address] = declined;
        // Whoever held or was offered it must get a different address next time.
        foreach (var key in new[] { reportedBy, existing?.ClientKey })
        {
            if (key is not null && _byClient.TryGetValue(key, out var byClient) && byClient.Address == address)
            {
                _byClient.Remove(key);
            }
        }

        _expiries.Enqueue(address, until);
        return declined;
    }

    /// <summary>A client holds one address at a time: moving it frees what it held before.</summary>
    private void ForgetPreviousAddress(ClientIdentity client, IPv4Address newAddress)
    {
        if (_byClient.TryGetValue(client.Key, out var previous) && previous.Address != newAddress &&
            _byAddress.TryGetValue(previous.Address, out var atPrevious) && atPrevious.ClientKey == client.Key)
        {
            if (atPrevious.State is LeaseState.Offered or LeaseState.Bound)
            {
                _plan.LinkContaining(previous.Address)?.PoolOf(previous.Address)?.Addresses.Return(previous.Address);
            }

            _byAddress.Remove(previous.Address);
        }
    }

    private void Remember(LeaseRecord lease)
    {
        _byAddress[lease.Address] = lease;
        if (lease.State == LeaseState.Declined)
        {
            return;
        }

        // An ended lease (probation over, old offer) must not hide the client's current one.
        if (lease.State is LeaseState.Expired or LeaseState.Released &&
            _byClient.TryGetValue(lease.ClientKey, out var current) && current.Address != lease.Address)
        {
            return;
        }

        _byClient[lease.ClientKey] = lease;
    }

    private static bool IsActive(LeaseRecord lease, DateTimeOffset now) =>
        lease.State is LeaseState.Offered or LeaseState.Bound or LeaseState.Declined && lease.Expires > now;
}
