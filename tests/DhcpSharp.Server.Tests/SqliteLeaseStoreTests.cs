using DhcpSharp.Protocol;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Server.Tests;

public sealed class SqliteLeaseStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpsharp-leases-").FullName;

    private string StorePath => Path.Combine(_directory, "leases.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>An unconditional write, to set a store up.</summary>
    private static ValueTask<LeaseWriteResult> SaveAsync(SqliteLeaseStore store, LeaseRecord lease) =>
        store.WriteAsync(lease, LeaseCondition.Always, lease.Start, CancellationToken.None);

    private static LeaseRecord Lease(uint n, LeaseState state = LeaseState.Bound) => new(
        new IPv4Address(0xC0000200 + n), $"hw:1:52540000{n:x4}", 1, [0x52, 0x54, 0, 0, (byte)(n >> 8), (byte)n],
        n % 2 == 0 ? [1, 2, 3] : null, n % 3 == 0 ? $"host{n}" : null, state,
        DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000), n == 7 ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(1_800_003_600_000 + n));

    [Fact]
    public async Task Saved_leases_survive_reopening_field_for_field()
    {
        var leases = Enumerable.Range(1, 20).Select(i => Lease((uint)i)).ToList();
        await using (var store = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None))
        {
            foreach (var lease in leases)
            {
                await SaveAsync(store, lease);
            }

            await SaveAsync(store, Lease(5, LeaseState.Released));
            await SaveAsync(store, Lease(6, LeaseState.Released) with { Expires = DateTimeOffset.UnixEpoch });
            Assert.Equal(1, await store.PurgeEndedBeforeAsync(DateTimeOffset.UnixEpoch.AddDays(1), CancellationToken.None));
        }

        await using var reopened = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None);
        var loaded = (await reopened.ListAsync(CancellationToken.None)).ToDictionary(l => l.Address);
        Assert.Equal(19, loaded.Count);
        Assert.Equal(LeaseState.Released, loaded[Lease(5).Address].State);
        Assert.False(loaded.ContainsKey(Lease(6).Address));
        foreach (var expected in leases.Where(l => l.Address != Lease(5).Address && l.Address != Lease(6).Address))
        {
            var actual = loaded[expected.Address];
            Assert.Equal(expected.ClientKey, actual.ClientKey);
            Assert.Equal(expected.HardwareAddress, actual.HardwareAddress);
            Assert.Equal(expected.ClientIdentifier, actual.ClientIdentifier);
            Assert.Equal(expected.HostName, actual.HostName);
            Assert.Equal(expected.State, actual.State);
            Assert.Equal(expected.Start, actual.Start);
            Assert.Equal(expected.Expires, actual.Expires);
        }
    }

    [Fact]
    public async Task Concurrent_saves_are_group_committed()
    {
        await using var store = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(1, 2000).Select(i => SaveAsync(store, Lease((uint)i)).AsTask()));
        Assert.Equal(2000, store.Writes);
        Assert.True(store.Commits < 2000 / 4, $"{store.Commits} commits for 2000 writes");
        Assert.Equal(2000, (await store.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task The_commit_window_waits_only_while_saves_keep_coming()
    {
        var window = TimeSpan.FromSeconds(2);
        await using var store = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None, window);

        // Quiet store: the first save is committed at once, not a window later.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await SaveAsync(store, Lease(1));
        var lone = clock.Elapsed;
        Assert.True(lone < TimeSpan.FromSeconds(1.5), $"a lone save took {lone.TotalMilliseconds:F0} ms");

        // Right after a commit the store is busy: it holds the next save for the window, and
        // everything arriving meanwhile shares that one commit.
        long commitsBefore = store.Commits;
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(2, 300).Select(i => SaveAsync(store, Lease((uint)i)).AsTask()));
        var busy = clock.Elapsed;
        Assert.True(busy >= window - TimeSpan.FromMilliseconds(50), $"busy saves took {busy.TotalMilliseconds:F0} ms, window {window.TotalMilliseconds} ms");
        Assert.Equal(1, store.Commits - commitsBefore);
        Assert.Equal(301, (await store.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Engine_user_code_never_runs_on_the_store_writer_thread()
    {
        // ACKs are finished on the writer thread right after their commit; a slow event handler
        // or BeforeReply callback there would stall every other client's ACK.
        await using var store = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None);
        var threads = new System.Collections.Concurrent.ConcurrentBag<string?>();
        var callbacks = new DhcpServerCallbacks
        {
            BeforeReply = (_, _, _) =>
            {
                threads.Add(Thread.CurrentThread.Name);
                return ValueTask.FromResult(true);
            },
        };
        var harness = new EngineHarness(callbacks: callbacks, store: store);
        harness.Engine.Events.Bound += (_, _) => threads.Add(Thread.CurrentThread.Name);
        for (int i = 1; i <= 20; i++)
        {
            var offer = await harness.DiscoverAsync(EngineHarness.Mac(i));
            var ack = await harness.SelectAsync(EngineHarness.Mac(i), offer!.Reply.YourAddress);
            Assert.Equal(DhcpMessageType.Ack, ack!.Reply.MessageType);
        }

        Assert.Equal(20 * 3, threads.Count);
        Assert.DoesNotContain("lease-store writer", threads);
    }

    [Fact]
    public async Task A_custom_stage_after_the_allocation_never_runs_on_the_store_writer_thread()
    {
        // A stage the library does not know is user code: after a commit it must run on the pool.
        await using var store = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None);
        var harness = new EngineHarness(store: store);
        var threads = new System.Collections.Concurrent.ConcurrentBag<string?>();
        var stages = harness.Engine.AddStages(new RequestPipelineBuilder<DhcpRequestContext>().UseValidation())
            .Add(new ThreadProbe(threads), DhcpStageOrder.BeforeReply)
            .Build();
        var pipeline = new DhcpPipeline(stages, harness.Engine.Metrics);
        for (int i = 1; i <= 10; i++)
        {
            var discover = harness.NewRequest(DhcpMessageType.Discover, EngineHarness.Mac(i));
            var offer = await pipeline.HandleAsync(Context(discover), CancellationToken.None);
            var request = harness.NewRequest(DhcpMessageType.Request, EngineHarness.Mac(i), m =>
            {
                m.Options.Set(Protocol.Options.DhcpOptions.ServerIdentifier, EngineHarness.ServerAddress);
                m.Options.Set(Protocol.Options.DhcpOptions.RequestedAddress, offer!.Reply.YourAddress);
            });
            var ack = await pipeline.HandleAsync(Context(request), CancellationToken.None);
            Assert.Equal(DhcpMessageType.Ack, ack!.Reply.MessageType);
        }

        Assert.Equal(20, threads.Count);
        Assert.DoesNotContain("lease-store writer", threads);
    }

    private static DhcpRequestContext Context(DhcpMessage message) =>
        new(DhcpMessage.Parse(message.ToArray()), EngineHarness.Ingress, new System.Net.IPEndPoint(System.Net.IPAddress.Any, 68), DateTimeOffset.UnixEpoch);

    private sealed class ThreadProbe(System.Collections.Concurrent.ConcurrentBag<string?> threads) : IRequestStage<DhcpRequestContext>
    {
        public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
        {
            threads.Add(Thread.CurrentThread.Name);
            return StageResult.ContinueTask;
        }
    }

    [Fact]
    public async Task Purge_forgets_ended_leases_but_keeps_bound_ones()
    {
        await using var store = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None);
        await SaveAsync(store, Lease(1, LeaseState.Released));
        await SaveAsync(store, Lease(2, LeaseState.Bound));
        Assert.Equal(1, await store.PurgeEndedBeforeAsync(DateTimeOffset.MaxValue.AddDays(-1), CancellationToken.None));
        Assert.Equal(Lease(2).Address, Assert.Single(await store.ListAsync(CancellationToken.None)).Address);
    }

    [Fact]
    public async Task A_file_that_is_not_a_lease_store_is_refused()
    {
        await File.WriteAllTextAsync(StorePath, "this is not sqlite, it is just a text file that happens to be long enough to have a header");
        await Assert.ThrowsAnyAsync<Exception>(async () => await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None));
    }
}
