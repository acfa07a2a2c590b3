global using Xunit;

// A private PostgreSQL cluster (initdb, pg_ctl, runuser): these tests exist only on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
