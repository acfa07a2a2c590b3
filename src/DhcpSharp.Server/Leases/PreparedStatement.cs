using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// One statement prepared once on SQLite's C API and re-run with new values. The lease writer
/// runs thousands of tiny statements a second; Microsoft.Data.Sqlite's per-execution work (a data
/// reader, parameter objects, type dispatch) cost more than the insert itself.
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public PreparedStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
    }

    public PreparedStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public PreparedStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    public PreparedStatement Bind(int index, byte[]? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Runs the statement to completion (no rows expected) and makes it ready for the next values.</summary>
    public void Execute()
    {
        int result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_database).utf8_to_string(), result);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_database).utf8_to_string(), result);
        }
    }
}
