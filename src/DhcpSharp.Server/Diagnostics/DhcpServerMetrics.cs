using System.Diagnostics.Metrics;
using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Diagnostics;

/// <summary>
/// Counters of the server (meter "DhcpSharp.Server"). The library only records; exporters
/// (Prometheus, OTLP) are the host's business.
/// </summary>
public sealed class DhcpServerMetrics : IDisposable
{
    public const string MeterName = "DhcpSharp.Server";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _exhausted;
    private readonly Counter<long> _leaseEvents;

    public DhcpServerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _received = _meter.CreateCounter<long>("dhcpsharp.requests.received", "{message}", "Requests received, by message type.");
        _sent = _meter.CreateCounter<long>("dhcpsharp.replies.sent", "{message}", "Replies sent, by message type.");
        _malformed = _meter.CreateCounter<long>("dhcpsharp.packets.malformed", "{packet}", "Datagrams that were not valid DHCP messages.");
        _dropped = _meter.CreateCounter<long>("dhcpsharp.packets.dropped", "{packet}", "Requests dropped without reply, by reason.");
        _exhausted = _meter.CreateCounter<long>("dhcpsharp.pool.exhausted", "{request}", "Requests that found no free address.");
        _leaseEvents = _meter.CreateCounter<long>("dhcpsharp.leases.changes", "{lease}", "Lease changes, by kind (offered, bound, renewed, released, declined, expired).");
        _meter.CreateObservableCounter("dhcpsharp.socket.dropped", ObserveSocketDrops, "{datagram}", "Datagrams the kernel dropped because a socket's receive buffer was full, by interface.");
    }

    private readonly Lock _sourcesLock = new();
    private Func<IEnumerable<(string Interface, long Drops)>>[] _socketDropSources = [];

    /// <summary>A transport reports its sockets' kernel drop counts here; dispose the result when the sockets close.</summary>
    public IDisposable AddSocketDropSource(Func<IEnumerable<(string Interface, long Drops)>> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_sourcesLock)
        {
            _socketDropSources = [.. _socketDropSources, source];
        }

        return new SourceRegistration(this, source);
    }

    private IEnumerable<Measurement<long>> ObserveSocketDrops()
    {
        foreach (var source in _socketDropSources)
        {
            foreach (var (name, drops) in source())
            {
                yield return new Measurement<long>(drops, new KeyValuePair<string, object?>("interface", name));
            }
        }
    }

    private void RemoveSource(Func<IEnumerable<(string Interface, long Drops)>> source)
    {
        lock (_sourcesLock)
        {
            _socketDropSources = [.. _socketDropSources.Where(s => s != source)];
        }
    }

    private sealed class SourceRegistration(DhcpServerMetrics owner, Func<IEnumerable<(string Interface, long Drops)>> source) : IDisposable
    {
        public void Dispose() => owner.RemoveSource(source);
    }

    private long _malformedCount;
    private long _droppedCount;
    private long _exhaustedCount;

    public long Malformed => Interlocked.Read(ref _malformedCount);

    public long Dropped => Interlocked.Read(ref _droppedCount);

    public long Exhausted => Interlocked.Read(ref _exhaustedCount);

    public void Received(DhcpMessageType type) => _received.Add(1, new KeyValuePair<string, object?>("type", type.ToWireName()));

    public void Sent(DhcpMessageType type) => _sent.Add(1, new KeyValuePair<string, object?>("type", type.ToWireName()));

    public void MalformedPacket()
    {
        Interlocked.Increment(ref _malformedCount);
        _malformed.Add(1);
    }

    public void Drop(string reason)
    {
        Interlocked.Increment(ref _droppedCount);
        _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void PoolExhausted()
    {
        Interlocked.Increment(ref _exhaustedCount);
        _exhausted.Add(1);
    }

    public void LeaseChange(string kind) => _leaseEvents.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Dispose() => _meter.Dispose();
}
