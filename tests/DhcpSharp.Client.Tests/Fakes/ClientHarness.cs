using System.Diagnostics;
using DhcpSharp.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Client.Tests.Fakes;

/// <summary>
/// A client on a fake clock and a fake link. Time moves only when the client is idle (waiting
/// with nothing queued), and exactly to its next deadline, so every timer in the life cycle is
/// observed to the tick and the whole of it runs in milliseconds.
/// </summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public static readonly byte[] Mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
    public static readonly IPv4Address Server1 = IPv4Address.Parse("192.0.2.1");
    public static readonly IPv4Address Server2 = IPv4Address.Parse("192.0.2.2");

    private static readonly TimeSpan RealTimePatience = TimeSpan.FromSeconds(20);

    private readonly List<DhcpLeaseChange> _changes = [];
    private readonly Lock _lock = new();

    public ClientHarness(Func<DhcpClientOptions, DhcpClientOptions>? configure = null, bool addServer = true)
    {
        Network = new FakeNetwork(Clock);
        if (addServer)
        {
            Network.AddServer("192.0.2.1", "192.0.2.100", "192.0.2.149");
        }

        var options = new DhcpClientOptions { HardwareAddress = Mac };
        Client = new DhcpClient(configure?.Invoke(options) ?? options, Network, Clock);
        Client.LeaseChanged += (_, change) =>
        {
            lock (_lock)
            {
                _changes.Add(change);
            }
        };
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    public FakeNetwork Network { get; }

    public DhcpClient Client { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public IReadOnlyList<DhcpLeaseChange> Changes
    {
        get
        {
            lock (_lock)
            {
                return [.. _changes];
            }
        }
    }

    public IReadOnlyList<SentMessage> Sent => Network.Sent;

    public IReadOnlyList<SentMessage> SentOf(DhcpMessageType type) => Sent.Where(s => s.Type == type).ToList();

    /// <summary>Starts the client and runs the clock until it is bound.</summary>
    public async Task<DhcpLease> StartAndBindAsync()
    {
        await Client.StartAsync();
        await RunUntilAsync(() => Client.State == DhcpClientState.Bound, TimeSpan.FromMinutes(5));
        return Client.Lease!;
    }

    /// <summary>Waits (in real time) until the client is idle; returns its deadline (null: none).</summary>
    public async Task<DateTimeOffset?> WaitIdleAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            // Order matters: everything delivered has been taken, nothing is queued, and only then
            // does "waiting" prove the loop has nothing left to do before its deadline.
            if (Network.Delivered == Client.DatagramsSeen && Client.Inbox.Count == 0 &&
                Client.Inbox.Waiting is { } waiting && (waiting.Deadline is null || waiting.Deadline > Now))
            {
                return waiting.Deadline;
            }

            if (watch.Elapsed > RealTimePatience)
            {
                throw new TimeoutException($"the client did not become idle (state {Client.State}, sent: {string.Join("; ", Sent)})");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>Advances the clock deadline by deadline until <paramref name="condition"/> holds, at most <paramref name="limit"/> of fake time.</summary>
    public async Task RunUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var end = Now + limit;
        while (true)
        {
            var deadline = await WaitIdleAsync();
            if (condition())
            {
                return;
            }

            if (deadline is not { } due || due > end)
            {
                throw new Xunit.Sdk.XunitException($"condition not reached within {limit} of fake time (state {Client.State}, next deadline {deadline:O}, sent: {string.Join("; ", Sent)})");
            }

            Clock.Advance(due - Now);
        }
    }

    /// <summary>Runs the clock forward by <paramref name="span"/>, stopping at every deadline on the way.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        var end = Now + span;
        while (true)
        {
            var deadline = await WaitIdleAsync();
            if (deadline is { } due && due <= end)
            {
                Clock.Advance(due - Now);
                continue;
            }

            if (end > Now)
            {
                Clock.Advance(end - Now);
                continue;
            }

            return;
        }
    }

    /// <summary>A reply to the client's last message of <paramref name="type"/>, built as a server would.</summary>
    public static DhcpMessage ReplyTo(SentMessage sent, DhcpMessageType type, IPv4Address yourAddress, IPv4Address server, Action<DhcpMessage>? configure = null)
    {
        var reply = sent.Message.CreateReply(type);
        reply.YourAddress = yourAddress;
        reply.Options.Set(Protocol.Options.DhcpOptions.ServerIdentifier, server);
        if (type != DhcpMessageType.Nak)
        {
            reply.Options.Set(Protocol.Options.DhcpOptions.LeaseTime, 3600u);
            reply.Options.Set(Protocol.Options.DhcpOptions.SubnetMask, IPv4Address.Parse("255.255.255.0"));
        }

        configure?.Invoke(reply);
        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Network.DisposeAsync();
    }
}
