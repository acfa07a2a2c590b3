using Npgsql;

namespace DhcpSharp.PostgreSql;

/// <summary>
/// Creates the tables on first start and migrates them forward, under a transaction-scoped
/// advisory lock, so several servers starting at once migrate once and never half-way.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>An arbitrary, fixed key: every DhcpSharp server takes the same lock.</summary>
    private const long MigrationLock = 0x44485350_4C455345; // "DHSPLESE"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE dhcpsharp_leases (
            address    bigint   PRIMARY KEY,
            client_key text     NOT NULL,
            htype      smallint NOT NULL,
            hwaddr     bytea    NOT NULL,
            client_id  bytea,
            hostname   text,
            state      smallint NOT NULL,
            starts     bigint   NOT NULL,
            expires    bigint   NOT NULL,
            version    bigint   NOT NULL,
            server     text
        );
        CREATE INDEX dhcpsharp_leases_client ON dhcpsharp_leases (client_key);
        """,
    ];

    public static int Version => Migrations.Length;

    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS dhcpsharp_schema (version integer NOT NULL);", cancellationToken).ConfigureAwait(false);
        int current;
        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM dhcpsharp_schema;", connection, transaction))
        {
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > Version)
        {
            throw new InvalidOperationException($"the lease database has schema version {current}; this DhcpSharp knows up to {Version}");
        }

        for (int version = current + 1; version <= Version; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"INSERT INTO dhcpsharp_schema (version) VALUES ({version});", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
