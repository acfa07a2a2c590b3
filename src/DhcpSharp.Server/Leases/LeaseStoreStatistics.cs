namespace DhcpSharp.Server.Leases;

/// <summary>What a store has committed this run: durable transactions (each one fsync for SQLite) and lease writes in them.</summary>
public readonly record struct LeaseStoreStatistics(long Commits, long Writes);
