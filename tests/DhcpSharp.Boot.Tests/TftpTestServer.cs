using System.Net;
using System.Net.Sockets;
using System.Collections.Concurrent;
using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Tftp;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Boot.Tests;

/// <summary>
/// A <see cref="TftpServer"/> on an ephemeral UDP port (Port = 0, all addresses, no
/// SO_BINDTODEVICE) serving a fresh temporary root; deleted on dispose.
/// </summary>
internal sealed class TftpTestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private TftpTestServer(string root, TftpServer server, ListLogger log)
    {
        Log = log;
        Root = root;
        Server = server;
        _running = Task.Run(() => server.RunAsync(_stop.Token));
    }

    public string Root { get; }

    public TftpServer Server { get; }

    public int Port => Server.Port;

    /// <summary>What the server logged (Information and up): "TFTP sent f to …: N bytes, blksize B, window W, …".</summary>
    public ListLogger Log { get; }

    public static TftpTestServer Start(TftpServerOptions? options = null, Func<string, IBootFileProvider>? files = null)
    {
        string root = Directory.CreateTempSubdirectory("dhcpsharp-tftp-").FullName;
        var provider = files?.Invoke(root) ?? new DirectoryFileProvider(root);
        var log = new ListLogger();
        var server = new TftpServer(provider, interfaces: null, (options ?? new TftpServerOptions()) with { Port = 0, BindToDevice = false }, log);
        return new TftpTestServer(root, server, log);
    }

    public string Write(string name, byte[] content)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public TftpTestClient Client() => new(Port);

    /// <summary>Waits until no transfer is running (the server's bookkeeping after a transfer ends).</summary>
    public async Task WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Server.ActiveTransfers != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(Server.ActiveTransfers == 0, $"{Server.ActiveTransfers} transfer(s) still active after {timeout.TotalSeconds:F0} s");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Server.DisposeAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
        File.Delete(Root + ".download");
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Deterministic, position-dependent bytes (every block differs from its neighbours and from the block 65536 earlier).</summary>
    public static byte[] Pattern(int length, int seed = 0)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            uint x = unchecked((uint)i * 2654435761u);
            x ^= x >> 15;
            x = unchecked(x * 2246822519u);
            x ^= x >> 13;
            bytes[i] = (byte)(x ^ (uint)seed);
        }

        return bytes;
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A TCP port free on 127.0.0.1 right now (for servers that cannot take port 0).</summary>
    public static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>Collects log lines (Information and up) for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _lines.Enqueue(formatter(state, exception));
        }
    }
}
