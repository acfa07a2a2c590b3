using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Http;
using DhcpSharp.Boot.Tftp;

namespace DhcpSharp.Boot.Tests;

/// <summary>The HTTP boot server (Kestrel) on 127.0.0.1 and a free port, read with HttpClient and raw requests.</summary>
public sealed class BootHttpServerTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("dhcpsharp-http-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("dhcpsharp-http-outside-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private BootHttpServer? _server;
    private int _port;

    private Uri Url(string path) => new($"http://127.0.0.1:{_port}{path}");

    public async ValueTask InitializeAsync()
    {
        var files = new VirtualFileProvider(new DirectoryFileProvider(_root))
            .Add("boot.ipxe", client => $"#!ipxe\necho client {client.RemoteEndPoint.Address}\nchain http://127.0.0.1/next\n");
        for (int attempt = 0; ; attempt++)
        {
            _port = TftpTestServer.FreeTcpPort();
            var server = new BootHttpServer(files, IPAddress.Loopback, _port);
            try
            {
                await server.StartAsync(CancellationToken.None);
                _server = server;
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                await server.DisposeAsync(); // the port was taken in between: try another
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(CancellationToken.None);
            await _server.DisposeAsync();
        }

        _http.Dispose();
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private byte[] Write(string name, byte[] content)
    {
        string path = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return content;
    }

    [Fact]
    public async Task Get_returns_the_bytes_with_content_length_and_no_chunking()
    {
        var content = Write("images/vmlinuz", TftpTestServer.Random(1_234_567, seed: 5));

        using var response = await _http.GetAsync(Url("/images/vmlinuz"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked); // shim and GRUB need Content-Length
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.True(content.AsSpan().SequenceEqual(body));
    }

    [Fact]
    public async Task An_efi_file_is_application_efi()
    {
        var content = Write("snponly.efi", TftpTestServer.Random(4096, seed: 6));

        using var response = await _http.GetAsync(Url("/snponly.efi"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/efi", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Head_returns_the_headers_without_a_body()
    {
        Write("grubx64.efi", TftpTestServer.Random(100_000, seed: 7));

        // Raw, to see exactly what is on the wire after the headers.
        var raw = await RawAsync("HEAD /grubx64.efi HTTP/1.1");

        Assert.StartsWith("HTTP/1.1 200", raw.StatusLine, StringComparison.Ordinal);
        Assert.Equal("100000", raw.Header("Content-Length"));
        Assert.Equal("application/efi", raw.Header("Content-Type"));
        Assert.Empty(raw.Body);
    }

    [Fact]
    public async Task Head_through_httpclient_has_content_length()
    {
        Write("initrd.img", TftpTestServer.Random(54_321, seed: 8));

        using var request = new HttpRequestMessage(HttpMethod.Head, Url("/initrd.img"));
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(54_321, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData(100, 199)]
    [InlineData(0, 0)]
    [InlineData(99_000, 99_999)]
    public async Task A_range_request_returns_206_with_the_slice(long from, long to)
    {
        var content = Write("disk.img", TftpTestServer.Random(100_000, seed: 9));

        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/disk.img"));
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(to - from + 1, response.Content.Headers.ContentLength);
        Assert.Equal($"bytes {from}-{to}/100000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[(int)from..(int)(to + 1)], body);
    }

    [Fact]
    public async Task A_suffix_range_returns_the_last_bytes()
    {
        var content = Write("disk.img", TftpTestServer.Random(5000, seed: 10));

        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/disk.img"));
        request.Headers.Range = new RangeHeaderValue(null, 10);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[^10..], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unsatisfiable_range_is_416()
    {
        Write("small.bin", new byte[10]);

        using var request = new HttpRequestMessage(HttpMethod.Get, Url("/small.bin"));
        request.Headers.Range = new RangeHeaderValue(100, 200);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
    }

    [Fact]
    public async Task A_missing_file_is_404()
    {
        using var response = await _http.GetAsync(Url("/nothing/here.efi"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_generated_file_from_the_virtual_provider_is_served()
    {
        using var response = await _http.GetAsync(Url("/boot.ipxe"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("#!ipxe\necho client 127.0.0.1\nchain http://127.0.0.1/next\n", text);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), response.Content.Headers.ContentLength);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_real_file_wins_over_a_generated_one_of_the_same_name()
    {
        Write("boot.ipxe", "#!ipxe\nexit\n"u8.ToArray());

        var text = await _http.GetStringAsync(Url("/boot.ipxe"), TestContext.Current.CancellationToken);

        Assert.Equal("#!ipxe\nexit\n", text);
    }

    [Fact]
    public async Task Post_is_not_allowed()
    {
        Write("f", "x"u8.ToArray());

        using var response = await _http.PostAsync(Url("/f"), new ByteArrayContent([1]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    public static TheoryData<string> Escapes => new()
    {
        "/../../../../etc/passwd",
        "/images/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/..%5c..%5c..%5c..%5cetc%5cpasswd",
        "/..\\..\\..\\..\\etc\\passwd",
        "/etc/passwd",
        "//etc/passwd",
        "/images/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Path_escapes_are_refused_and_never_serve_the_host_file(string target)
    {
        Write("images/x.txt", "x"u8.ToArray());

        var raw = await RawAsync($"GET {target} HTTP/1.1");

        Assert.True(raw.Status is 400 or 403 or 404, $"GET {target}: {raw.StatusLine}");
        Assert.DoesNotContain("root:", Encoding.ASCII.GetString(raw.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_in_the_root_pointing_outside_is_403()
    {
        string secret = Path.Combine(_outside, "secret.txt");
        await File.WriteAllTextAsync(secret, "SECRET outside the root\n", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(Path.Combine(_root, "secret.txt"), secret);

        using var response = await _http.GetAsync(Url("/secret.txt"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_symlinked_directory_in_the_root_pointing_outside_is_refused()
    {
        string secret = Path.Combine(_outside, "secret.txt");
        await File.WriteAllTextAsync(secret, "SECRET outside the root\n", TestContext.Current.CancellationToken);
        Directory.CreateSymbolicLink(Path.Combine(_root, "isos"), _outside);

        using var response = await _http.GetAsync(Url("/isos/secret.txt"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET /isos/secret.txt through a directory symlink to {_outside}: {(int)response.StatusCode}, body \"{body.Trim()}\"");
    }

    private sealed record RawResponse(string StatusLine, IReadOnlyList<string> Headers, byte[] Body)
    {
        public int Status => int.Parse(StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        public string? Header(string name) =>
            Headers.Where(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(h => h[(name.Length + 1)..].Trim()).FirstOrDefault();
    }

    /// <summary>Sends a request line verbatim (HttpClient would normalise "/../" away) and reads the whole response.</summary>
    private async Task<RawResponse> RawAsync(string requestLine)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), TestContext.Current.CancellationToken);
        using var all = new MemoryStream();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        await stream.CopyToAsync(all, deadline.Token);
        var bytes = all.ToArray();
        int end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, $"no HTTP header in {bytes.Length} bytes");
        var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        return new RawResponse(lines[0], lines[1..], bytes[(end + 4)..]);
    }
}
