using System.Data.Common;
using DhcpSharp.Protocol;
using DhcpSharp.Server.Leases;
using Npgsql;
using NpgsqlTypes;

namespace DhcpSharp.PostgreSql;

/// <summary>The SQL of the store, and how its rows become records. Every statement is one round trip's worth inside a batch.</summary>
internal static class PostgreSqlLeaseRows
{
    public const string Columns = "address, client_key, htype, hwaddr, client_id, hostname, state, starts, expires, version, server";

    private const string Assign = """
        client_key = EXCLUDED.client_key, htype = EXCLUDED.htype, hwaddr = EXCLUDED.hwaddr, client_id = EXCLUDED.client_id,
        hostname = EXCLUDED.hostname, state = EXCLUDED.state, starts = EXCLUDED.starts, expires = EXCLUDED.expires,
        version = l.version + 1, server = EXCLUDED.server
        """;

    private const string AssignUpdate = """
        client_key = $2, htype = $3, hwaddr = $4, client_id = $5, hostname = $6, state = $7, starts = $8, expires = $9,
        version = l.version + 1, server = $10
        """;

    /// <summary>
    /// After the write, the written version — or, when the condition failed, the row that is there
    /// (from the statement's snapshot: a hint, like everything a server remembers).
    /// </summary>
    private const string Report = $"""
        SELECT true, w.version, NULL::text, NULL::smallint, NULL::bytea, NULL::bytea, NULL::text, NULL::smallint, NULL::bigint, NULL::bigint, NULL::text FROM w
        UNION ALL
        SELECT false, l.version, l.client_key, l.htype, l.hwaddr, l.client_id, l.hostname, l.state, l.starts, l.expires, l.server
        FROM dhcpsharp_leases l WHERE l.address = $1 AND NOT EXISTS (SELECT 1 FROM w);
        """;

    /// <summary>Offered, bound, declined (1, 2, 5) and not yet ended holds the address.</summary>
    private const string Free = "(l.state NOT IN (1, 2, 5) OR l.expires <= $11)";

    public static readonly string FreeOrHeldBy = $"""
        WITH w AS (INSERT INTO dhcpsharp_leases AS l ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)
            ON CONFLICT (address) DO UPDATE SET {Assign}
            WHERE {Free} OR (l.client_key = $12 AND l.state <> 5) RETURNING l.version)
        {Report}
        """;

    public static readonly string FreeOrOfferedTo = $"""
        WITH w AS (INSERT INTO dhcpsharp_leases AS l ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)
            ON CONFLICT (address) DO UPDATE SET {Assign}
            WHERE {Free} OR (l.client_key = $12 AND l.state = 1) RETURNING l.version)
        {Report}
        """;

    public static readonly string Absent = $"""
        WITH w AS (INSERT INTO dhcpsharp_leases AS l ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)
            ON CONFLICT (address) DO NOTHING RETURNING l.version)
        {Report}
        """;

    public static readonly string Always = $"""
        WITH w AS (INSERT INTO dhcpsharp_leases AS l ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)
            ON CONFLICT (address) DO UPDATE SET {Assign} RETURNING l.version)
        {Report}
        """;

    public static readonly string HeldBy = $"""
        WITH w AS (UPDATE dhcpsharp_leases l SET {AssignUpdate}
            WHERE l.address = $1 AND l.state IN (1, 2) AND l.expires > $11 AND l.client_key = $12 RETURNING l.version)
        {Report}
        """;

    public static readonly string AtVersion = $"""
        WITH w AS (UPDATE dhcpsharp_leases l SET {AssignUpdate}
            WHERE l.address = $1 AND l.version = $11 RETURNING l.version)
        {Report}
        """;

    public const string ByClient = $"""
        SELECT {Columns} FROM dhcpsharp_leases WHERE client_key = $1
        ORDER BY (state IN (1, 2) AND expires > $2) DESC, expires DESC LIMIT 1;
        """;

    public const string All = $"SELECT {Columns} FROM dhcpsharp_leases;";

    public const string Purge = "DELETE FROM dhcpsharp_leases WHERE expires < $1 AND state <> 2 RETURNING address;";

    public static NpgsqlBatchCommand Write(LeaseRecord lease, LeaseCondition condition, DateTimeOffset now)
    {
        string sql = condition.Kind switch
        {
            LeaseConditionKind.FreeOrHeldBy => FreeOrHeldBy,
            LeaseConditionKind.FreeOrOfferedTo => FreeOrOfferedTo,
            LeaseConditionKind.HeldBy => HeldBy,
            LeaseConditionKind.AtVersion when condition.Version == 0 => Absent,
            LeaseConditionKind.AtVersion => AtVersion,
            _ => Always,
        };
        var command = new NpgsqlBatchCommand(sql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<long> { TypedValue = lease.Address.Value });
        p.Add(new NpgsqlParameter<string> { TypedValue = lease.ClientKey });
        p.Add(new NpgsqlParameter<short> { TypedValue = lease.HardwareType });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = lease.HardwareAddress, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter { Value = (object?)lease.ClientIdentifier ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter { Value = (object?)lease.HostName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<short> { TypedValue = (short)lease.State });
        p.Add(new NpgsqlParameter<long> { TypedValue = LeaseTable.ToStored(lease.Start) });
        p.Add(new NpgsqlParameter<long> { TypedValue = LeaseTable.ToStored(lease.Expires) });
        p.Add(new NpgsqlParameter { Value = (object?)lease.Server ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        if (condition.Kind is LeaseConditionKind.FreeOrHeldBy or LeaseConditionKind.FreeOrOfferedTo or LeaseConditionKind.HeldBy)
        {
            p.Add(new NpgsqlParameter<long> { TypedValue = LeaseTable.ToStored(now) });
            p.Add(new NpgsqlParameter<string> { TypedValue = condition.ClientKey ?? "" });
        }
        else if (condition.Kind == LeaseConditionKind.AtVersion && condition.Version != 0)
        {
            p.Add(new NpgsqlParameter<long> { TypedValue = condition.Version });
        }

        return command;
    }

    public static NpgsqlBatchCommand FindByClient(string clientKey, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand(ByClient);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientKey });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LeaseTable.ToStored(now) });
        return command;
    }

    /// <summary>The result of a write statement: written (with the new version), or the row in the way.</summary>
    public static async Task<LeaseWriteResult> ReadWriteResultAsync(DbDataReader reader, LeaseRecord lease, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return LeaseWriteResult.Conflict(null); // an update found no row at all
        }

        if (reader.GetBoolean(0))
        {
            return LeaseWriteResult.Success(lease with { Version = reader.GetInt64(1) });
        }

        return LeaseWriteResult.Conflict(new LeaseRecord(
            lease.Address, reader.GetString(2), (byte)reader.GetInt16(3), (byte[])reader.GetValue(4),
            reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5), reader.IsDBNull(6) ? null : reader.GetString(6),
            (LeaseState)reader.GetInt16(7), LeaseTable.FromStored(reader.GetInt64(8)), LeaseTable.FromStored(reader.GetInt64(9)))
        {
            Version = reader.GetInt64(1),
            Server = reader.IsDBNull(10) ? null : reader.GetString(10),
        });
    }

    /// <summary>A row selected with <see cref="Columns"/>.</summary>
    public static LeaseRecord Read(DbDataReader reader) => new(
        new IPv4Address((uint)reader.GetInt64(0)), reader.GetString(1), (byte)reader.GetInt16(2), (byte[])reader.GetValue(3),
        reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4), reader.IsDBNull(5) ? null : reader.GetString(5),
        (LeaseState)reader.GetInt16(6), LeaseTable.FromStored(reader.GetInt64(7)), LeaseTable.FromStored(reader.GetInt64(8)))
    {
        Version = reader.GetInt64(9),
        Server = reader.IsDBNull(10) ? null : reader.GetString(10),
    };
}
