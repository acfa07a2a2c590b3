using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DhcpSharp.Boot.Tests;

/// <summary>
/// Real TFTP clients against the server on 127.0.0.1 and an ephemeral port: tftp-hpa (plain
/// RFC 1350, no options), atftp 0.8 (blksize, windowsize) and curl (tsize, blksize). Every file
/// must arrive byte-identical. The clients are Debian packages (tftp-hpa, atftp, curl) that
/// scripts/test.sh installs; a missing one fails the test, it is never skipped.
/// </summary>
public sealed class TftpInteropTests
{
    private const string TftpHpa = "/usr/bin/tftp";
    private const string Atftp = "/usr/bin/atftp";
    private const string Curl = "/usr/bin/curl";

    public static TheoryData<int> Sizes => new() { 0, 1, 511, 512, 513, 3_000_000 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Tftp_hpa_downloads_byte_identical(int size)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Random(size, seed: size);
        server.Write("file.bin", content);
        string output = OutputPath(server);

        var result = await Tool.RunAsync(TftpHpa, "tftp-hpa", ["-m", "binary", "127.0.0.1", Port(server), "-c", "get", "file.bin", output]);

        Assert.True(result.ExitCode == 0 && !result.Text.Contains("Error", StringComparison.OrdinalIgnoreCase), $"tftp-hpa: {result}");
        AssertSameFile(content, output, "tftp-hpa");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Atftp_downloads_byte_identical_without_options(int size)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Random(size, seed: size + 1);
        server.Write("file.bin", content);
        string output = OutputPath(server);

        var result = await Tool.RunAsync(Atftp, "atftp", ["--get", "-r", "file.bin", "-l", output, "127.0.0.1", Port(server)]);

        Assert.True(result.ExitCode == 0, $"atftp: {result}");
        AssertSameFile(content, output, "atftp");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Atftp_downloads_byte_identical_with_blksize_1468_and_windowsize_16(int size)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Random(size, seed: size + 2);
        server.Write("file.bin", content);
        string output = OutputPath(server);

        var result = await Tool.RunAsync(Atftp, "atftp", ["--get", "-r", "file.bin", "-l", output, "--option", "blksize 1468", "--option", "windowsize 16", "--option", "tsize 0", "127.0.0.1", Port(server)]);

        Assert.True(result.ExitCode == 0, $"atftp: {result}");
        AssertSameFile(content, output, "atftp");
        await server.WaitIdleAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(server.Log.Lines, l => l.Contains($"{size} bytes, blksize 1468, window 16", StringComparison.Ordinal));
    }

    /// <summary>
    /// curl always asks for tsize and (7.88, lib/tftp.c) rejects an OACK with "tsize 0" for a
    /// download ("invalid tsize -:0:- value in OACK packet", exit 71) whatever the server, e.g.
    /// tftpd-hpa too; so with curl the empty file is fetched without options.
    /// </summary>
    public static TheoryData<int> CurlSizes => new() { 1, 511, 512, 513, 3_000_000 };

    [Fact]
    public async Task Curl_downloads_an_empty_file_without_options()
    {
        await using var server = TftpTestServer.Start();
        server.Write("empty.bin", []);

        var result = await Tool.RunAsync(Curl, "curl", ["-sS", "--tftp-no-options", $"tftp://127.0.0.1:{Port(server)}/empty.bin"]);

        Assert.True(result.ExitCode == 0, $"curl: {result}");
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [MemberData(nameof(CurlSizes))]
    public async Task Curl_downloads_byte_identical(int size)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Random(size, seed: size + 3);
        server.Write("file.bin", content);

        var result = await Tool.RunAsync(Curl, "curl", ["-sS", $"tftp://127.0.0.1:{Port(server)}/file.bin"]);

        Assert.True(result.ExitCode == 0, $"curl: {result}");
        Assert.True(content.AsSpan().SequenceEqual(result.Stdout), $"curl: got {result.Stdout.Length} bytes, the file has {content.Length}");
    }

    [Theory]
    [MemberData(nameof(CurlSizes))]
    public async Task Curl_downloads_byte_identical_with_blksize_1468(int size)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Random(size, seed: size + 4);
        server.Write("file.bin", content);

        var result = await Tool.RunAsync(Curl, "curl", ["-sS", "--tftp-blksize", "1468", $"tftp://127.0.0.1:{Port(server)}/file.bin"]);

        Assert.True(result.ExitCode == 0, $"curl: {result}");
        Assert.True(content.AsSpan().SequenceEqual(result.Stdout), $"curl: got {result.Stdout.Length} bytes, the file has {content.Length}");
        await server.WaitIdleAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(server.Log.Lines, l => l.Contains($"{size} bytes, blksize 1468,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tftp_hpa_in_single_port_mode()
    {
        await using var server = TftpTestServer.Start(new Tftp.TftpServerOptions { SinglePort = true });
        var content = TftpTestServer.Random(100_000, seed: 9);
        server.Write("file.bin", content);
        string output = OutputPath(server);

        var result = await Tool.RunAsync(TftpHpa, "tftp-hpa", ["-m", "binary", "127.0.0.1", Port(server), "-c", "get", "file.bin", output]);

        Assert.True(result.ExitCode == 0 && !result.Text.Contains("Error", StringComparison.OrdinalIgnoreCase), $"tftp-hpa: {result}");
        AssertSameFile(content, output, "tftp-hpa");
    }

    [Fact]
    public async Task Tftp_hpa_netascii_mode_gets_the_text_back()
    {
        await using var server = TftpTestServer.Start();
        var text = string.Concat(Enumerable.Range(0, 200).Select(i => $"LABEL entry{i}\n  KERNEL vmlinuz-{i}\n"));
        server.Write("pxelinux.cfg/default", Encoding.ASCII.GetBytes(text));
        string output = OutputPath(server);

        var result = await Tool.RunAsync(TftpHpa, "tftp-hpa", ["-m", "netascii", "127.0.0.1", Port(server), "-c", "get", "pxelinux.cfg/default", output]);

        Assert.True(result.ExitCode == 0 && !result.Text.Contains("Error", StringComparison.OrdinalIgnoreCase), $"tftp-hpa: {result}");
        AssertSameFile(Encoding.ASCII.GetBytes(text), output, "tftp-hpa (netascii)");
    }

    [Theory]
    [InlineData("tftp-hpa")]
    [InlineData("atftp")]
    public async Task Real_clients_follow_the_block_number_rollover_of_a_33_MiB_file_at_512_bytes(string client)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern((33 << 20) + 1, seed: 77);
        server.Write("big.img", content);
        string output = OutputPath(server);

        var result = client == "tftp-hpa"
            ? await Tool.RunAsync(TftpHpa, client, ["-m", "binary", "127.0.0.1", Port(server), "-c", "get", "big.img", output], timeoutSeconds: 240)
            : await Tool.RunAsync(Atftp, client, ["--get", "-r", "big.img", "-l", output, "--option", "windowsize 8", "127.0.0.1", Port(server)], timeoutSeconds: 240);

        Assert.True(result.ExitCode == 0 && !result.Text.Contains("Error", StringComparison.OrdinalIgnoreCase), $"{client}: {result}");
        AssertSameFile(content, output, client);
    }

    [Theory]
    [InlineData("../../../../../../etc/passwd")]
    [InlineData("/../../../../../etc/passwd")]
    [InlineData("..\\..\\..\\..\\etc\\passwd")]
    public async Task Tftp_hpa_path_escape_is_refused(string name)
    {
        await using var server = TftpTestServer.Start();
        string output = OutputPath(server);

        var result = await Tool.RunAsync(TftpHpa, "tftp-hpa", ["-m", "binary", "127.0.0.1", Port(server), "-c", "get", name, output]);

        Assert.Contains("Error code 2", result.Text, StringComparison.Ordinal);
        AssertNotHostFile(output, "/etc/passwd");
    }

    [Theory]
    [InlineData("../../../../../../etc/passwd")]
    [InlineData("/../../../../../etc/passwd")]
    public async Task Atftp_path_escape_is_refused(string name)
    {
        await using var server = TftpTestServer.Start();
        string output = OutputPath(server);

        var result = await Tool.RunAsync(Atftp, "atftp", ["--get", "-r", name, "-l", output, "127.0.0.1", Port(server)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("illegal file name", result.Text, StringComparison.Ordinal); // the server's error 2 text
        AssertNotHostFile(output, "/etc/passwd");
    }

    [Fact]
    public async Task Tftp_hpa_absolute_path_is_looked_up_in_the_root_not_on_the_host()
    {
        await using var server = TftpTestServer.Start();
        string output = OutputPath(server);

        var result = await Tool.RunAsync(TftpHpa, "tftp-hpa", ["-m", "binary", "127.0.0.1", Port(server), "-c", "get", "/etc/passwd", output]);

        Assert.Contains("Error code 1", result.Text, StringComparison.Ordinal); // not in the (empty) root
        AssertNotHostFile(output, "/etc/passwd");
    }

    [Fact]
    public async Task Curl_reports_a_missing_file()
    {
        await using var server = TftpTestServer.Start();

        var result = await Tool.RunAsync(Curl, "curl", ["-sS", $"tftp://127.0.0.1:{Port(server)}/missing.bin"]);

        Assert.Equal(68, result.ExitCode); // CURLE_TFTP_NOTFOUND
        Assert.Empty(result.Stdout);
    }

    private static string Port(TftpTestServer server) => server.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A download target outside the served root.</summary>
    private static string OutputPath(TftpTestServer server) => server.Root + ".download";

    private static void AssertSameFile(byte[] expected, string path, string client)
    {
        Assert.True(File.Exists(path), $"{client} wrote no {path}");
        var actual = File.ReadAllBytes(path);
        File.Delete(path);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{client}: got {actual.Length} bytes, the file has {expected.Length}; contents differ");
    }

    private static void AssertNotHostFile(string path, string hostFile)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var actual = File.ReadAllBytes(path);
        File.Delete(path);
        Assert.True(actual.Length == 0 || !actual.AsSpan().SequenceEqual(File.ReadAllBytes(hostFile)), $"{hostFile} of the host was served");
        Assert.Empty(actual);
    }
}

/// <summary>Runs an external program with a deadline; a missing program fails the test with what to install.</summary>
internal static class Tool
{
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["/usr/bin/tftp"] = "tftp-hpa",
        ["/usr/bin/atftp"] = "atftp",
        ["/usr/bin/curl"] = "curl",
    };

    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        /// <summary>Both streams as text (tftp-hpa prints its errors on either, and exits 0).</summary>
        public string Text => Encoding.UTF8.GetString(Stdout) + Stderr;

        public override string ToString() => $"exit {ExitCode}; output: {Text.Trim()}";
    }

    public static async Task<Result> RunAsync(string path, string name, IReadOnlyList<string> arguments, int timeoutSeconds = 60)
    {
        Assert.True(File.Exists(path), $"the {name} client ({path}) is missing: install the Debian package '{Packages.GetValueOrDefault(path, name)}' (scripts/test.sh does, as root)");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{name} {string.Join(' ', arguments)} did not finish within {timeoutSeconds} s");
        }

        await copy;
        return new Result(process.ExitCode, stdout.ToArray(), await stderr);
    }
}
