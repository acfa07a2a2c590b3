using DhcpSharp.Protocol;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// Reads every row of the lease file into the table at open, on SQLite's C API (a million rows
/// through Microsoft.Data.Sqlite's reader cost seconds of per-row objects).
/// </summary>
internal static class SqliteLeaseLoader
{
    public static int Load(SqliteConnection connection, LeaseTable table)
    {
        var database = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM leases;";
            table.EnsureCapacity((int)Math.Min(int.MaxValue / 2, (long)(count.ExecuteScalar() ?? 0L) + 1024));
        }

        int rc = raw.sqlite3_prepare_v2(database, "SELECT address, client_key, htype, hwaddr, client_id, hostname, state, starts, expires, version, server FROM leases;", out sqlite3_stmt statement);
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(database).utf8_to_string(), rc);
        }

        using (statement)
        {
            int rows = 0;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                table.Put(new LeaseRecord(
                    new IPv4Address((uint)raw.sqlite3_column_int64(statement, 0)),
                    raw.sqlite3_column_text(statement, 1).utf8_to_string(),
                    (byte)raw.sqlite3_column_int64(statement, 2),
                    raw.sqlite3_column_blob(statement, 3).ToArray(),
                    raw.sqlite3_column_type(statement, 4) == raw.SQLITE_NULL ? null : raw.sqlite3_column_blob(statement, 4).ToArray(),
                    raw.sqlite3_column_type(statement, 5) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(statement, 5).utf8_to_string(),
                    (LeaseState)raw.sqlite3_column_int64(statement, 6),
                    LeaseTable.FromStored(raw.sqlite3_column_int64(statement, 7)),
                    LeaseTable.FromStored(raw.sqlite3_column_int64(statement, 8)))
                {
                    Version = raw.sqlite3_column_int64(statement, 9),
                    Server = raw.sqlite3_column_type(statement, 10) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(statement, 10).utf8_to_string(),
                });
                rows++;
            }

            return rc == raw.SQLITE_DONE ? rows : throw new SqliteException(raw.sqlite3_errmsg(database).utf8_to_string(), rc);
        }
    }
}
