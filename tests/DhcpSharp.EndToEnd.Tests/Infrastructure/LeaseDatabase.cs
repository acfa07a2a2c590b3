using Microsoft.Data.Sqlite;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>Values of <c>leases.state</c> as the server's SQLite store writes them.</summary>
internal enum StoredLeaseState
{
    Offered = 1,
    Bound = 2,
    Released = 3,
    Expired = 4,
    Declined = 5,
}

internal sealed record StoredLease(string Address, string ClientKey, StoredLeaseState State, DateTimeOffset Expires);

/// <summary>
/// Reads the server's lease file directly: the durable truth the daemon restarts from. The store
/// is in WAL mode, so reading while the server runs is safe; this only ever SELECTs.
/// </summary>
internal static class LeaseDatabase
{
    public static IReadOnlyList<StoredLease> Read(string path)
    {
        // Pooling off: no connection lingers to keep the file open after the test.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, client_key, state, expires FROM leases ORDER BY address;";
        using var reader = command.ExecuteReader();
        var leases = new List<StoredLease>();
        while (reader.Read())
        {
            uint address = (uint)reader.GetInt64(0); // host-order IPv4 address
            leases.Add(new StoredLease(
                $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}",
                reader.GetString(1),
                (StoredLeaseState)reader.GetInt64(2),
                reader.GetInt64(3) == long.MaxValue ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return leases;
    }

    public static StoredLease? Find(string path, string address) => Read(path).FirstOrDefault(l => l.Address == address);

    /// <summary>Polls until the lease of <paramref name="address"/> is in <paramref name="state"/>.</summary>
    public static async Task<StoredLease> WaitForStateAsync(string path, string address, StoredLeaseState state, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        StoredLease? lease;
        while ((lease = Find(path, address)) is not { } found || found.State != state)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"lease of {address} is {lease?.State.ToString() ?? "absent"}, expected {state} within {limit.TotalSeconds} s; leases: {string.Join("; ", Read(path))}");
            }

            await Task.Delay(100);
        }

        return lease;
    }
}
