using System.Runtime.CompilerServices;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// Decides addresses for clients; the store decides whether they may have them. Memory holds
/// only hints — each pool's free list (O(1) picks) and an expiry schedule — and every change is a
/// conditional write to the <see cref="ILeaseStore"/>, which refuses it when another client (of
/// this server or of another one on the same database) got there first; a lost claim simply
/// tries the next address. Reserved, excluded, network and broadcast addresses are blocked in the
/// pools, and <see cref="ReturnToFreeSet"/> is the one way back into them.
/// </summary>
public sealed class LeaseManager
{
    private const int ClaimAttempts = 32;

    private readonly TimeProvider _time;
    private readonly ILeaseStore _store;
    private readonly string _server;
    private readonly Lock _lock = new();
    private readonly PriorityQueue<uint, long> _revisits = new();
    private readonly List<IPv4Address> _endedBindings = [];
    private readonly ClientLocks _clients = new();
    private volatile AddressPlan _plan;
    private volatile DhcpServerOptions _options;

    /// <param name="plan">Subnets and pools.</param>
    /// <param name="options">Offer time, probation time.</param>
    /// <param name="time">The clock.</param>
    /// <param name="store">The truth.</param>
    /// <param name="server">This server's name in the rows it writes (several servers may share the store).</param>
    public LeaseManager(AddressPlan plan, DhcpServerOptions options, TimeProvider time, ILeaseStore store, string? server = null)
    {
        _plan = plan ?? throw new ArgumentNullException(nameof(plan));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _server = server ?? Environment.MachineName;
    }

    /// <summary>The name this server writes into the rows it claims.</summary>
    public string Server => _server;

    public AddressPlan Plan => _plan;

    public ILeaseStore Store => _store;

    /// <summary>Marks what the store holds as taken and schedules each row's end; call once before serving. Returns the rows seen.</summary>
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        int rows = 0;
        var plan = _plan;
        var due = new List<(uint, long)>();
        await _store.VisitAsync((address, state, expires) =>
        {
            rows++;
            if (IsActive(state, expires, now))
            {
                plan.PoolContaining(address)?.Addresses.TryTake(address);
                due.Add((address.Value, LeaseTable.ToStored(expires)));
            }
            else if (state == LeaseState.Bound)
            {
                due.Add((address.Value, LeaseTable.ToStored(expires))); // ended while the server was down: the reclaim says so
            }
        }, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _revisits.EnqueueRange(due);
        }

        return rows;
    }

    /// <summary>
    /// Takes a new address plan (a reload): what the store holds now stays out of the new pools,
    /// and from now on only requests placed with the new plan may allocate (others get
    /// <see cref="LeaseOutcome.Stale"/>). Anything claimed meanwhile is still protected by the store.
    /// </summary>
    public void Reconfigure(AddressPlan plan, DhcpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var now = _time.GetUtcNow();
        var visiting = _store.VisitAsync((address, state, expires) =>
        {
            if (IsActive(state, expires, now))
            {
                plan.PoolContaining(address)?.Addresses.TryTake(address);
            }
        }, CancellationToken.None);
        if (!visiting.IsCompletedSuccessfully)
        {
            visiting.AsTask().GetAwaiter().GetResult();
        }

        lock (_lock)
        {
            _plan = plan;
            _options = options;
        }
    }

    public ValueTask<LeaseRecord?> FindByAddressAsync(IPv4Address address, CancellationToken cancellationToken = default) => _store.FindAsync(address, cancellationToken);

    public ValueTask<LeaseRecord?> FindByClientAsync(string clientKey, CancellationToken cancellationToken = default) => _store.FindByClientAsync(clientKey, cancellationToken);

    /// <summary>
    /// Picks and claims an address for a DISCOVER: the client's reservation, its current or
    /// previous address, the address it asked for, then the longest-free address of an admitted
    /// pool — each claimed in the store, the next tried when another client holds it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<LeaseDecision> OfferAsync(ClientIdentity client, ServedLink link, IReadOnlyList<string> classes, IPv4Address? reserved, IPv4Address? requested, string? hostName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using (await _clients.EnterAsync(client.Key, cancellationToken).ConfigureAwait(false))
        {
            return await OfferCoreAsync(client, link, classes, reserved, requested, hostName, cancellationToken).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LeaseDecision> OfferCoreAsync(ClientIdentity client, ServedLink link, IReadOnlyList<string> classes, IPv4Address? reserved, IPv4Address? requested, string? hostName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(link);
        var now = _time.GetUtcNow();
        if (link.Plan != _plan)
        {
            return LeaseDecision.Stale;
        }

        ReturnDue(now);
        var expires = now + _options.OfferTime;
        var existing = await _store.FindByClientAsync(client.Key, cancellationToken).ConfigureAwait(false);
        if (reserved is { } fixedAddress)
        {
            if (existing is { State: LeaseState.Bound } bound && bound.Address == fixedAddress && bound.Expires > now)
            {
                return LeaseDecision.Granted(bound); // an offer never shortens a binding
            }

            var claimed = await OfferClaimAsync(client, fixedAddress, now, expires, hostName, existing, cancellationToken).ConfigureAwait(false);
            return claimed.Written
                ? LeaseDecision.Granted(claimed.Current!)
                : LeaseDecision.Refused($"reserved address {fixedAddress} is in use by {claimed.Current?.ClientKey}");
        }

        if (existing is not null && existing.State != LeaseState.Declined && link.Contains(existing.Address))
        {
            if (existing.State == LeaseState.Bound && existing.Expires > now)
            {
                return LeaseDecision.Granted(existing);
            }

            // Its own address again, if the pools still admit it: the store says whether it is still free.
            if (IsAdmitted(link, classes, existing.Address) &&
                await OfferClaimAsync(client, existing.Address, now, expires, hostName, existing, cancellationToken).ConfigureAwait(false) is { Written: true } again)
            {
                return LeaseDecision.Granted(again.Current!);
            }
        }

        if (requested is { } wanted && link.Contains(wanted) && TryTakeAdmitted(link, classes, wanted) &&
            await OfferClaimAsync(client, wanted, now, expires, hostName, existing, cancellationToken).ConfigureAwait(false) is { Written: true } asked)
        {
            return LeaseDecision.Granted(asked.Current!);
        }

        for (int attempt = 0; attempt < ClaimAttempts; attempt++)
        {
            if (TakeAny(link, classes) is not { } candidate)
            {
                return new LeaseDecision(LeaseOutcome.Exhausted, null, $"no free address on {link.Name}");
            }

            var result = await OfferClaimAsync(client, candidate, now, expires, hostName, existing, cancellationToken).ConfigureAwait(false);
            if (result.Written)
            {
                return LeaseDecision.Granted(result.Current!);
            }
        }

        return LeaseDecision.Ignored($"every address tried on {link.Name} was taken meanwhile");
    }

    /// <summary>
    /// Binds <paramref name="address"/> for a REQUEST (any state). Granted when the client already
    /// holds it, or when it is free and admitted for the client; refused when it is reserved for
    /// someone else, belongs to someone else, is declined, or is outside this link.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<LeaseDecision> CommitAsync(ClientIdentity client, ServedLink link, IReadOnlyList<string> classes, IPv4Address? reserved, IPv4Address address, TimeSpan leaseTime, string? hostName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using (await _clients.EnterAsync(client.Key, cancellationToken).ConfigureAwait(false))
        {
            return await CommitCoreAsync(client, link, classes, reserved, address, leaseTime, hostName, cancellationToken).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LeaseDecision> CommitCoreAsync(ClientIdentity client, ServedLink link, IReadOnlyList<string> classes, IPv4Address? reserved, IPv4Address address, TimeSpan leaseTime, string? hostName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(link);
        var now = _time.GetUtcNow();
        var plan = _plan;
        if (link.Plan != plan)
        {
            return LeaseDecision.Stale;
        }

        if (!link.Contains(address))
        {
            return LeaseDecision.Refused($"{address} is not on {link.Name}");
        }

        if (reserved is { } fixedAddress && fixedAddress != address)
        {
            return LeaseDecision.Refused($"client is reserved {fixedAddress}, asked for {address}");
        }

        // Before anything else: a reserved address is its client's, whoever was offered it.
        if (plan.ReservedAddresses.ContainsKey(address) && reserved != address)
        {
            return LeaseDecision.Refused($"{address} is reserved for another client");
        }

        var current = await _store.FindAsync(address, cancellationToken).ConfigureAwait(false);
        bool mine = current is not null && current.ClientKey == client.Key && current.State is LeaseState.Offered or LeaseState.Bound && current.Expires > now;
        if (!mine && reserved != address && !IsAdmitted(link, classes, address))
        {
            return LeaseDecision.Refused($"{address} is not a free address this client may use");
        }

        var expires = leaseTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : now + leaseTime;
        var start = mine && current!.State == LeaseState.Bound ? current.Start : now;
        var existing = mine ? current : await _store.FindByClientAsync(client.Key, cancellationToken).ConfigureAwait(false);
        var result = await ClaimAsync(client, address, LeaseState.Bound, start, expires, hostName, existing, cancellationToken).ConfigureAwait(false);
        if (!result.Written)
        {
            var holder = result.Current;
            return LeaseDecision.Refused($"{address} is {(holder?.State == LeaseState.Declined ? "declined" : $"held by {holder?.ClientKey}")}");
        }

        return LeaseDecision.Granted(result.Current!);
    }

    /// <summary>The client gives its address back (RELEASE).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<LeaseDecision> ReleaseAsync(ClientIdentity client, IPv4Address address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using (await _clients.EnterAsync(client.Key, cancellationToken).ConfigureAwait(false))
        {
            return await ReleaseCoreAsync(client, address, cancellationToken).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LeaseDecision> ReleaseCoreAsync(ClientIdentity client, IPv4Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _time.GetUtcNow();
        var current = await _store.FindAsync(address, cancellationToken).ConfigureAwait(false);
        if (current is null || current.ClientKey != client.Key)
        {
            return LeaseDecision.Ignored($"{client} holds no lease on {address}");
        }

        var result = await _store.WriteAsync(current with { State = LeaseState.Released, Expires = now }, LeaseCondition.HeldBy(client.Key), now, cancellationToken).ConfigureAwait(false);
        if (!result.Written)
        {
            return LeaseDecision.Ignored($"{client} holds no lease on {address}");
        }

        ReturnToFreeSet(address);
        return LeaseDecision.Granted(result.Current!);
    }

    /// <summary>A client found its address in use (DECLINE): keep it out of use for the probation time.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<LeaseDecision> DeclineAsync(ClientIdentity client, IPv4Address address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using (await _clients.EnterAsync(client.Key, cancellationToken).ConfigureAwait(false))
        {
            return await DeclineCoreAsync(client, address, cancellationToken).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<LeaseDecision> DeclineCoreAsync(ClientIdentity client, IPv4Address address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var current = await _store.FindAsync(address, cancellationToken).ConfigureAwait(false);
        if (current is null || current.ClientKey != client.Key)
        {
            return LeaseDecision.Ignored($"{client} was not given {address}");
        }

        var declined = await QuarantineAsync(current, client.Key, cancellationToken).ConfigureAwait(false);
        return declined is null ? LeaseDecision.Ignored($"{address} changed meanwhile") : LeaseDecision.Granted(declined);
    }

    /// <summary>Something else answers on this address (a ping check or a DECLINE): keep it out of use, if the row is still <paramref name="seen"/>.</summary>
    public async ValueTask<LeaseRecord?> QuarantineAsync(LeaseRecord seen, string reportedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var now = _time.GetUtcNow();
        var until = now + _options.DeclineProbation;
        var declined = new LeaseRecord(seen.Address, reportedBy, seen.HardwareType, seen.HardwareAddress, seen.ClientIdentifier, null, LeaseState.Declined, now, until);
        var result = await _store.WriteAsync(declined, LeaseCondition.AtVersion(seen.Version), now, cancellationToken).ConfigureAwait(false);
        if (!result.Written)
        {
            return null;
        }

        lock (_lock)
        {
            _plan.PoolContaining(seen.Address)?.Addresses.TryTake(seen.Address);
            _revisits.Enqueue(seen.Address.Value, LeaseTable.ToStored(until));
        }

        return result.Current;
    }

    /// <summary>A client chose another server's offer: free what we held for it (only if it is still that offer).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WithdrawAsync(ClientIdentity client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using (await _clients.EnterAsync(client.Key, cancellationToken).ConfigureAwait(false))
        {
            await WithdrawCoreAsync(client, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WithdrawCoreAsync(ClientIdentity client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _time.GetUtcNow();
        // Only an offer this server made: with a shared store the chosen server may have offered the same row.
        if (await _store.FindByClientAsync(client.Key, cancellationToken).ConfigureAwait(false) is { State: LeaseState.Offered } offer && offer.Expires > now && offer.Server == _server &&
            (await _store.WriteAsync(offer with { State = LeaseState.Expired, Expires = now }, LeaseCondition.AtVersion(offer.Version), now, cancellationToken).ConfigureAwait(false)).Written)
        {
            ReturnToFreeSet(offer.Address);
        }
    }

    /// <summary>
    /// Ends every binding whose time is up (a conditional write, so of several servers exactly one
    /// does it, and a renewal meanwhile wins) and returns the ended offers, releases and
    /// probations to the free set. Returns the bindings this call ended (for the Expired event).
    /// </summary>
    public async ValueTask<IReadOnlyList<LeaseRecord>> ReclaimExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var expired = new List<LeaseRecord>();
        List<IPv4Address> due;
        lock (_lock)
        {
            due = [.. _endedBindings];
            _endedBindings.Clear();
        }

        due.AddRange(TakeDue(now));
        foreach (var address in due)
        {
            var row = await _store.FindAsync(address, cancellationToken).ConfigureAwait(false);
            if (row is not null && row.IsActiveAt(now))
            {
                Revisit(row); // renewed meanwhile (or a stale schedule entry): look again when it ends
                continue;
            }

            if (row is { State: LeaseState.Bound })
            {
                var ended = await _store.WriteAsync(row with { State = LeaseState.Expired }, LeaseCondition.AtVersion(row.Version), now, cancellationToken).ConfigureAwait(false);
                if (!ended.Written)
                {
                    if (ended.Current is { } changed && changed.IsActiveAt(now))
                    {
                        Revisit(changed);
                    }
                    else
                    {
                        ReturnToFreeSet(address);
                    }

                    continue;
                }

                expired.Add(ended.Current!);
            }

            ReturnToFreeSet(address);
        }

        return expired;
    }

    /// <summary>
    /// The one path back into a pool's free list. It refuses what must never be handed out
    /// (reserved, excluded, network, broadcast: blocked in the pools), so a stored lease on such an
    /// address can end without the address ever reaching another client.
    /// </summary>
    public bool ReturnToFreeSet(IPv4Address address)
    {
        lock (_lock)
        {
            return _plan.PoolContaining(address)?.Addresses.Return(address) ?? false;
        }
    }

    /// <summary>
    /// An offer's claim. When the store says the client already holds the address bound (another
    /// server bound it, this one had not heard), that binding is the offer: an offer never shortens a lease.
    /// </summary>
    private async ValueTask<LeaseWriteResult> OfferClaimAsync(ClientIdentity client, IPv4Address address, DateTimeOffset now, DateTimeOffset expires, string? hostName, LeaseRecord? existing, CancellationToken cancellationToken)
    {
        var result = await ClaimAsync(client, address, LeaseState.Offered, now, expires, hostName, existing, cancellationToken).ConfigureAwait(false);
        return !result.Written && result.Current is { State: LeaseState.Bound } bound && bound.ClientKey == client.Key && bound.Expires > now
            ? LeaseWriteResult.Success(bound)
            : result;
    }

    /// <summary>The claim itself; on success the address is scheduled and the client's other address (if any) let go.</summary>
    private async ValueTask<LeaseWriteResult> ClaimAsync(ClientIdentity client, IPv4Address address, LeaseState state, DateTimeOffset start, DateTimeOffset expires, string? hostName, LeaseRecord? existing, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lease = new LeaseRecord(address, client.Key, client.HardwareType, client.HardwareAddress, client.ClientIdentifier, hostName, state, start, expires) { Server = _server };
        var condition = state == LeaseState.Offered ? LeaseCondition.FreeOrOfferedTo(client.Key) : LeaseCondition.FreeOrHeldBy(client.Key);
        var result = await _store.WriteAsync(lease, condition, now, cancellationToken).ConfigureAwait(false);
        if (!result.Written)
        {
            // Someone else holds it: it stays out of the free list until their row ends.
            if (result.Current is { } holder && holder.IsActiveAt(now))
            {
                Revisit(holder);
            }
            else
            {
                ReturnToFreeSet(address);
            }

            return result;
        }

        lock (_lock)
        {
            _plan.PoolContaining(address)?.Addresses.TryTake(address);
            _revisits.Enqueue(address.Value, LeaseTable.ToStored(expires));
        }

        if (existing is not null && existing.Address != address && existing.ClientKey == client.Key && existing.State is LeaseState.Offered or LeaseState.Bound && existing.Expires > now &&
            (await _store.WriteAsync(existing with { State = LeaseState.Expired, Expires = now }, LeaseCondition.AtVersion(existing.Version), now, cancellationToken).ConfigureAwait(false)).Written)
        {
            // A client holds one address at a time: moving it frees what it held before.
            ReturnToFreeSet(existing.Address);
        }

        return result;
    }

    private void Revisit(LeaseRecord row)
    {
        lock (_lock)
        {
            _revisits.Enqueue(row.Address.Value, LeaseTable.ToStored(row.Expires));
        }
    }

    private List<IPv4Address> TakeDue(DateTimeOffset now)
    {
        long at = LeaseTable.ToStored(now);
        var due = new List<IPv4Address>();
        lock (_lock)
        {
            while (_revisits.TryPeek(out uint address, out long when) && when <= at)
            {
                _revisits.Dequeue();
                due.Add(new IPv4Address(address));
            }
        }

        return due;
    }

    /// <summary>
    /// On the request path: ended offers, releases and probations go back to the free set at once,
    /// when the store can answer from memory; ended bindings are left to the reclaim, which ends
    /// them in the store and raises their events.
    /// </summary>
    private void ReturnDue(DateTimeOffset now)
    {
        foreach (var address in TakeDue(now))
        {
            var find = _store.FindAsync(address, CancellationToken.None);
            var row = find.IsCompletedSuccessfully ? find.Result : null;
            if (!find.IsCompletedSuccessfully || row is { State: LeaseState.Bound } && !row.IsActiveAt(now))
            {
                lock (_lock)
                {
                    _endedBindings.Add(address);
                }
            }
            else if (row is not null && row.IsActiveAt(now))
            {
                Revisit(row);
            }
            else
            {
                ReturnToFreeSet(address);
            }
        }
    }

    private bool TryTakeAdmitted(ServedLink link, IReadOnlyList<string> classes, IPv4Address address)
    {
        lock (_lock)
        {
            var pool = PoolOf(link, address);
            return pool is not null && pool.Admits(classes) && pool.Addresses.TryTake(address);
        }
    }

    private IPv4Address? TakeAny(ServedLink link, IReadOnlyList<string> classes)
    {
        lock (_lock)
        {
            foreach (var pool in link.Pools)
            {
                if (pool.Admits(classes) && pool.Addresses.TryTakeAny(out var address))
                {
                    return address;
                }
            }
        }

        return null;
    }

    /// <summary>In a pool of this link that admits the client's classes, and not blocked there.</summary>
    private static bool IsAdmitted(ServedLink link, IReadOnlyList<string> classes, IPv4Address address) =>
        link.PoolOf(address) is { } pool && pool.Admits(classes) && pool.Addresses.IsAllocatable(address);

    private static ServedPool? PoolOf(ServedLink link, IPv4Address address) => link.PoolOf(address);

    private static bool IsActive(LeaseState state, DateTimeOffset expires, DateTimeOffset now) =>
        state is LeaseState.Offered or LeaseState.Bound or LeaseState.Declined && expires > now;
}
