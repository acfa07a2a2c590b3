using Microsoft.Data.Sqlite;

namespace DhcpSharp.Server.Leases;

/// <summary>The lease file's schema, created on first open and migrated forward (PRAGMA user_version).</summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    public static void CreateOrMigrate(SqliteConnection connection, string path)
    {
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
        long current;
        using (var version = connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version;";
            current = (long)(version.ExecuteScalar() ?? 0L);
        }

        if (current > Version)
        {
            throw new InvalidOperationException($"lease store {path} has schema version {current}; this DhcpSharp knows up to {Version}.");
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS leases (
                address     INTEGER PRIMARY KEY,
                client_key  TEXT    NOT NULL,
                htype       INTEGER NOT NULL,
                hwaddr      BLOB    NOT NULL,
                client_id   BLOB,
                hostname    TEXT,
                state       INTEGER NOT NULL,
                starts      INTEGER NOT NULL,
                expires     INTEGER NOT NULL,
                version     INTEGER NOT NULL DEFAULT 0,
                server      TEXT
            ) WITHOUT ROWID;
            """, transaction);
        if (current == 1)
        {
            // Version 2: rows carry the compare-and-set version and the server that wrote them.
            Execute(connection, "ALTER TABLE leases ADD COLUMN version INTEGER NOT NULL DEFAULT 0;", transaction);
            Execute(connection, "ALTER TABLE leases ADD COLUMN server TEXT;", transaction);
        }

        Execute(connection, $"PRAGMA user_version = {Version};", transaction);
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
