using DhcpSharp.Protocol;
using DhcpSharp.Server.Leases;

namespace DhcpSharp.Server.Tests;

public sealed class SqliteLeaseStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpsharp-leases-").FullName;

    private string StorePath => Path.Combine(_directory, "leases.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
                await store.SaveAsync(lease, CancellationToken.None);
            }

            await store.SaveAsync(Lease(5, LeaseState.Released), CancellationToken.None);
            await store.RemoveAsync(Lease(6).Address, CancellationToken.None);
        }

        await using var reopened = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None);
        var loaded = (await reopened.LoadAsync(CancellationToken.None)).ToDictionary(l => l.Address);
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
        await Task.WhenAll(Enumerable.Range(1, 2000).Select(i => store.SaveAsync(Lease((uint)i), CancellationToken.None).AsTask()));
        Assert.Equal(2000, store.Writes);
        Assert.True(store.Commits < 2000 / 4, $"{store.Commits} commits for 2000 writes");
        Assert.Equal(2000, (await store.LoadAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Purge_forgets_ended_leases_but_keeps_bound_ones()
    {
        await using var store = await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None);
        await store.SaveAsync(Lease(1, LeaseState.Released), CancellationToken.None);
        await store.SaveAsync(Lease(2, LeaseState.Bound), CancellationToken.None);
        Assert.Equal(1, await store.PurgeEndedBeforeAsync(DateTimeOffset.MaxValue.AddDays(-1), CancellationToken.None));
        Assert.Equal(Lease(2).Address, Assert.Single(await store.LoadAsync(CancellationToken.None)).Address);
    }

    [Fact]
    public async Task A_file_that_is_not_a_lease_store_is_refused()
    {
        await File.WriteAllTextAsync(StorePath, "this is not sqlite, it is just a text file that happens to be long enough to have a header");
        await Assert.ThrowsAnyAsync<Exception>(async () => await SqliteLeaseStore.OpenAsync(StorePath, CancellationToken.None));
    }
}
