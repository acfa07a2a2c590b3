using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DhcpSharp.TestSupport;

/// <summary>
/// A private PostgreSQL cluster for one test class: Debian's <c>postgresql</c> binaries,
/// <c>initdb</c> in a temporary directory, started with <c>pg_ctl</c> on its own Unix socket
/// directory (reachable from every network namespace: it is a file) and port — never the system
/// service. As root, the server runs as the <c>postgres</c> user, as PostgreSQL insists.
/// </summary>
public sealed class PostgreSqlCluster : IAsyncDisposable
{
    private static int s_count;

    private readonly string _bin;
    private readonly string _runAs;

    private PostgreSqlCluster(string directory, string bin, int port, string runAs)
    {
        Directory = directory;
        _bin = bin;
        Port = port;
        _runAs = runAs;
    }

    public string Directory { get; }

    /// <summary>Where the server's socket lives (the "host" of a socket connection).</summary>
    public string SocketDirectory => Path.Combine(Directory, "socket");

    public int Port { get; }

    public string LogFile => Path.Combine(Directory, "postgresql.log");

    /// <summary>The libpq URI of <paramref name="database"/> over the socket, as dhcpsharp's --leases takes it.</summary>
    public string Uri(string database, string user = "postgres", string? password = null) =>
        $"postgresql://{user}{(password is null ? "" : ":" + System.Uri.EscapeDataString(password))}@/{database}?host={SocketDirectory}&port={Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>initdb (trust on the socket, or a password for <paramref name="password"/>) and start.</summary>
    public static async Task<PostgreSqlCluster> StartAsync(string? password = null)
    {
        string bin = FindBinaries();
        string directory = Path.Combine(Path.GetTempPath(), $"dspg-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}");
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "socket"));
        string runAs = Environment.UserName == "root" ? "postgres" : Environment.UserName;
        var cluster = new PostgreSqlCluster(directory, bin, FreePort(), runAs);
        if (runAs != Environment.UserName)
        {
            await Command.RunAsync(["chown", "-R", runAs, directory]);
        }

        List<string> initdb = [Path.Combine(bin, "initdb"), "-D", cluster.DataDirectory, "-U", "postgres", "-E", "UTF8", "--no-sync"];
        if (password is null)
        {
            initdb.AddRange(["--auth=trust"]);
        }
        else
        {
            string passwordFile = Path.Combine(directory, "superuser-password");
            await File.WriteAllTextAsync(passwordFile, password);
            if (runAs != Environment.UserName)
            {
                await Command.RunAsync(["chown", runAs, passwordFile]);
            }

            initdb.AddRange(["--auth=scram-sha-256", "--pwfile", passwordFile]);
        }

        await cluster.AsServerUserAsync(initdb, TimeSpan.FromSeconds(120));
        await cluster.StartServerAsync();
        return cluster;
    }

    private string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>Starts the server (again, after <see cref="StopServerAsync"/>) and waits until it accepts connections.</summary>
    public Task StartServerAsync() => AsServerUserAsync(
        [Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60",
         "-o", $"-k {SocketDirectory} -p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses='' -c fsync=on -c max_connections=200", "start"],
        TimeSpan.FromSeconds(90));

    /// <summary>Stops the server the way an outage looks to clients: connections are cut (fast shutdown).</summary>
    public Task StopServerAsync() => AsServerUserAsync([Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], TimeSpan.FromSeconds(90));

    /// <summary>Runs SQL through psql as the superuser (CREATE DATABASE and the like).</summary>
    public async Task<string> SqlAsync(string sql, string database = "postgres")
    {
        var result = await AsServerUserAsync([Path.Combine(_bin, "psql"), "-h", SocketDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], TimeSpan.FromSeconds(60));
        return result.Output.Trim();
    }

    /// <summary>A fresh, empty database.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await SqlAsync($"CREATE DATABASE {name};");
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsServerUserAsync([Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(45), check: false);
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private Task<CommandResult> AsServerUserAsync(IReadOnlyList<string> command, TimeSpan limit, bool check = true) =>
        Command.RunAsync(_runAs == Environment.UserName ? command : ["runuser", "-u", _runAs, "--", .. command], limit, check);

    /// <summary>The newest installed server's binaries (Debian: /usr/lib/postgresql/VERSION/bin).</summary>
    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out int v) ? v : 0).FirstOrDefault()
            : null;
        Assert.True(bin is not null, "PostgreSQL's server binaries are missing: apt-get install postgresql");
        return bin!;
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
