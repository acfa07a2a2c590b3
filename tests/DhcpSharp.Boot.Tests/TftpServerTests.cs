using System.Diagnostics;
using System.Net;
using System.Text;
using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Tftp;

namespace DhcpSharp.Boot.Tests;

/// <summary>
/// The TFTP server on loopback against the test client: RFC 1350 transfers, option negotiation
/// (RFC 2347/2348/2349/7440), rollover, retransmission, aborts, path confinement, modes, ports.
/// </summary>
public sealed class TftpServerTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Plain_transfer_without_options_uses_512_byte_blocks_from_a_new_port()
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(1500);
        server.Write("pxelinux.0", content);
        using var client = server.Client();

        var download = await client.DownloadAsync("pxelinux.0");

        Assert.Equal(content, download.Data);
        Assert.Null(download.OptionAck);
        Assert.Equal(3, download.DataPackets); // 512 + 512 + 476
        Assert.NotEqual(server.Port, download.ServerTid.Port); // RFC 1350: a new TID per transfer
        Assert.Equal(IPAddress.Loopback, download.ServerTid.Address); // answered from the address asked
        await server.WaitIdleAsync(Short);
        Assert.Equal(1, server.Server.CompletedTransfers);
        Assert.Equal(0, server.Server.FailedTransfers);
    }

    [Fact]
    public async Task First_reply_without_options_is_data_block_1_of_at_most_512_bytes()
    {
        await using var server = TftpTestServer.Start();
        server.Write("a.bin", TftpTestServer.Pattern(2000));
        using var client = server.Client();

        client.SendRequest("a.bin");
        var first = await client.ExpectAsync(Short, "DATA 1");

        Assert.Equal(TftpOpcode.Data, first.Opcode);
        Assert.Equal(1, first.Number);
        Assert.Equal(512, first.Payload.Length);
    }

    [Fact]
    public async Task Oack_contains_exactly_the_accepted_options_with_their_values()
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(100_000);
        server.Write("kernel", content);
        using var client = server.Client();

        var download = await client.DownloadAsync("kernel", options: [("blksize", "1428"), ("tsize", "0"), ("timeout", "3"), ("windowsize", "8"), ("x-unknown", "1")]);

        Assert.Equal(content, download.Data);
        var expected = new Dictionary<string, string> { ["blksize"] = "1428", ["tsize"] = "100000", ["timeout"] = "3", ["windowsize"] = "8" };
        Assert.Equal(expected.OrderBy(kv => kv.Key), download.OptionAck!.OrderBy(kv => kv.Key));
        Assert.Equal((100_000 / 1428) + 1, download.DataPackets);
    }

    [Fact]
    public async Task Option_names_are_case_insensitive()
    {
        await using var server = TftpTestServer.Start();
        server.Write("f", TftpTestServer.Pattern(3000));
        using var client = server.Client();

        var download = await client.DownloadAsync("f", options: [("BLKSIZE", "1024"), ("TSize", "0")]);

        Assert.Equal("1024", download.OptionAck!["blksize"]);
        Assert.Equal("3000", download.OptionAck["tsize"]);
    }

    [Theory]
    [InlineData("65464", 1468, "1468")]  // clamped to MaximumBlockSize (default 1468)
    [InlineData("1468", 1468, "1468")]
    [InlineData("8", 1468, "8")]         // RFC 2348 minimum
    [InlineData("9000", 8192, "8192")]   // a raised maximum (loopback's MTU is 65536)
    [InlineData("4096", 8192, "4096")]
    public async Task Blksize_is_granted_up_to_the_configured_maximum(string asked, int maximum, string granted)
    {
        await using var server = TftpTestServer.Start(new TftpServerOptions { MaximumBlockSize = maximum });
        var content = TftpTestServer.Pattern(20_000);
        server.Write("f", content);
        using var client = server.Client();

        var download = await client.DownloadAsync("f", options: [("blksize", asked)]);

        Assert.Equal(granted, download.OptionAck!["blksize"]);
        Assert.Equal(content, download.Data);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("16", "16")]
    [InlineData("64", "64")]
    [InlineData("1000", "64")] // clamped to MaximumWindowSize (default 64)
    public async Task Windowsize_is_granted_up_to_the_configured_maximum(string asked, string granted)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(300_000);
        server.Write("f", content);
        using var client = server.Client();

        var download = await client.DownloadAsync("f", options: [("blksize", "1400"), ("windowsize", asked)]);

        Assert.Equal(granted, download.OptionAck!["windowsize"]);
        Assert.Equal(content, download.Data);
        Assert.Equal(0, download.DuplicatePackets);
    }

    [Theory]
    [InlineData("blksize", "7")]
    [InlineData("blksize", "abc")]
    [InlineData("blksize", "-512")]
    [InlineData("timeout", "0")]
    [InlineData("timeout", "256")]
    [InlineData("windowsize", "0")]
    [InlineData("windowsize", "65536")]
    [InlineData("x-vendor", "1")]
    public async Task Invalid_or_unknown_options_are_left_out_and_without_any_option_there_is_no_oack(string name, string value)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(1000);
        server.Write("f", content);
        using var client = server.Client();

        var download = await client.DownloadAsync("f", options: [(name, value)]);

        Assert.Null(download.OptionAck); // RFC 2347: nothing accepted → plain DATA 1
        Assert.Equal(content, download.Data);
    }

    [Fact]
    public async Task Tsize_alone_is_answered_with_the_file_size()
    {
        await using var server = TftpTestServer.Start();
        server.Write("boot.efi", new byte[123_457]);
        using var client = server.Client();

        client.SendRequest("boot.efi", "octet", ("tsize", "0"));
        var oack = await client.ExpectAsync(Short, "OACK");

        Assert.Equal(TftpOpcode.OptionAck, oack.Opcode);
        Assert.Equal(new Dictionary<string, string> { ["tsize"] = "123457" }, oack.OptionAck);
    }

    [Theory]
    [InlineData(1024, 512)]
    [InlineData(512, 512)]
    [InlineData(0, 512)]
    [InlineData(4000, 1000)]
    [InlineData(1468 * 20, 1468)]
    public async Task A_file_that_is_an_exact_multiple_of_blksize_ends_with_an_empty_block(int length, int blockSize)
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(length);
        server.Write("f", content);
        using var client = server.Client();
        (string, string)[] options = blockSize == 512 ? [] : [("blksize", blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture))];

        var download = await client.DownloadAsync("f", options: options);

        Assert.Equal(content, download.Data);
        Assert.Equal((length / blockSize) + 1, download.DataPackets); // the last one carries 0 bytes
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task Block_numbers_roll_over_to_0_past_65535_in_a_33_MiB_file_at_512_bytes(int window)
    {
        await using var server = TftpTestServer.Start();
        const int length = (33 << 20) + 123; // 67,585 blocks
        var content = TftpTestServer.Pattern(length, seed: window);
        server.Write("big.img", content);
        using var client = server.Client();
        (string, string)[] options = window == 1 ? [] : [("windowsize", "16")];

        var download = await client.DownloadAsync("big.img", options: options);

        Assert.Equal((length / 512) + 1, download.DataPackets);
        Assert.True(download.DataPackets > 65536);
        Assert.Equal(length, download.Data.Length);
        Assert.True(content.AsSpan().SequenceEqual(download.Data), "downloaded bytes differ from the file");
        await server.WaitIdleAsync(Short);
        Assert.Equal(1, server.Server.CompletedTransfers);
    }

    [Fact]
    public async Task Unacknowledged_data_is_resent_after_the_timeout_which_doubles()
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(1300);
        server.Write("f", content);
        using var client = server.Client();

        var clock = Stopwatch.StartNew();
        client.SendRequest("f", "octet", ("timeout", "1"));
        var oack = await client.ExpectAsync(Short, "OACK");
        Assert.Equal(TftpOpcode.OptionAck, oack.Opcode);
        client.SendTo(oack.From, TftpTestClient.Ack(0));
        var first = await client.ExpectAsync(Short, "DATA 1");
        var sentAt = clock.Elapsed;
        Assert.Equal(1, first.Number);

        // Lose the ACK of DATA 1 twice: the server resends after ~1 s, then after ~2 s.
        var resent = await client.ExpectAsync(TimeSpan.FromSeconds(4), "DATA 1 resent");
        var firstGap = clock.Elapsed - sentAt;
        var again = await client.ExpectAsync(TimeSpan.FromSeconds(6), "DATA 1 resent again");
        var secondGap = clock.Elapsed - sentAt - firstGap;

        Assert.Equal((TftpOpcode.Data, (ushort)1), (resent.Opcode, resent.Number));
        Assert.Equal((TftpOpcode.Data, (ushort)1), (again.Opcode, again.Number));
        Assert.Equal(first.Packet, resent.Packet);
        // Lower bounds with slack for a loaded machine (a late receive shortens the measured gap).
        Assert.True(firstGap >= TimeSpan.FromMilliseconds(500), $"first resend after {firstGap.TotalMilliseconds:F0} ms, timeout is 1 s");
        Assert.True(secondGap >= TimeSpan.FromMilliseconds(1300), $"second resend after {secondGap.TotalMilliseconds:F0} ms, the doubled timeout is 2 s (not doubled: ~1 s)");

        // The transfer then goes on normally.
        client.SendTo(first.From, TftpTestClient.Ack(1));
        var second = await client.ExpectAsync(Short, "DATA 2");
        Assert.Equal(2, second.Number);
        client.SendTo(first.From, TftpTestClient.Ack(2));
        var third = await client.ExpectAsync(Short, "DATA 3");
        Assert.Equal(3, third.Number);
        Assert.Equal(1300 - 1024, third.Payload.Length);
        client.SendTo(first.From, TftpTestClient.Ack(3));
        await server.WaitIdleAsync(Short);
        Assert.Equal(1, server.Server.CompletedTransfers);
    }

    [Fact]
    public async Task An_unacknowledged_oack_is_resent()
    {
        await using var server = TftpTestServer.Start();
        server.Write("f", TftpTestServer.Pattern(100));
        using var client = server.Client();

        client.SendRequest("f", "octet", ("blksize", "1024"), ("timeout", "1"));
        var oack = await client.ExpectAsync(Short, "OACK");
        var again = await client.ExpectAsync(TimeSpan.FromSeconds(4), "OACK resent");

        Assert.Equal(TftpOpcode.OptionAck, again.Opcode);
        Assert.Equal(oack.Packet, again.Packet);
        client.SendTo(oack.From, TftpTestClient.Ack(0));
        var data = await client.ExpectAsync(Short, "DATA 1");
        Assert.Equal((TftpOpcode.Data, (ushort)1, 100), (data.Opcode, data.Number, data.Payload.Length));
    }

    [Fact]
    public async Task A_silent_client_is_given_up_after_the_configured_retries()
    {
        await using var server = TftpTestServer.Start(new TftpServerOptions { Timeout = TimeSpan.FromMilliseconds(200), Retries = 3 });
        server.Write("f", TftpTestServer.Pattern(5000));
        using var client = server.Client();

        client.SendRequest("f");
        int copies = 0;
        while (await client.ReceiveAsync(TimeSpan.FromSeconds(3)) is { } packet)
        {
            Assert.Equal((TftpOpcode.Data, (ushort)1), (packet.Opcode, packet.Number));
            copies++;
        }

        Assert.Equal(4, copies); // the first send + 3 retries
        await server.WaitIdleAsync(Short);
        Assert.Equal(1, server.Server.FailedTransfers);
    }

    [Fact]
    public async Task A_duplicate_ack_in_lock_step_does_not_trigger_a_second_data_packet()
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(512 * 3 + 10);
        server.Write("f", content);
        using var client = server.Client();

        client.SendRequest("f", "octet", ("timeout", "5")); // a resend timer far beyond the 600 ms we watch
        var oack = await client.ExpectAsync(Short, "OACK");
        Assert.Equal(TftpOpcode.OptionAck, oack.Opcode);
        client.SendTo(oack.From, TftpTestClient.Ack(0));
        var d1 = await client.ExpectAsync(Short, "DATA 1");
        client.SendTo(d1.From, TftpTestClient.Ack(1));
        var d2 = await client.ExpectAsync(Short, "DATA 2");
        Assert.Equal(2, d2.Number);

        // A delayed duplicate ACK 1 arrives: the Sorcerer's Apprentice would answer with DATA 2 again.
        client.SendTo(d1.From, TftpTestClient.Ack(1));
        client.SendTo(d1.From, TftpTestClient.Ack(1));
        var extra = await client.ReceiveAsync(TimeSpan.FromMilliseconds(600));
        Assert.True(extra is null, $"duplicate ACK 1 was answered with {extra}");

        client.SendTo(d1.From, TftpTestClient.Ack(2));
        var d3 = await client.ExpectAsync(Short, "DATA 3");
        Assert.Equal(3, d3.Number);
        client.SendTo(d1.From, TftpTestClient.Ack(3));
        var d4 = await client.ExpectAsync(Short, "DATA 4");
        Assert.Equal((4, 10), (d4.Number, d4.Payload.Length));
        client.SendTo(d1.From, TftpTestClient.Ack(4));
        Assert.Null(await client.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task With_a_window_an_ack_inside_the_window_resends_from_the_next_block()
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(512 * 10 + 1);
        server.Write("f", content);
        using var client = server.Client();

        client.SendRequest("f", "octet", ("windowsize", "4"));
        var oack = await client.ExpectAsync(Short, "OACK");
        client.SendTo(oack.From, TftpTestClient.Ack(0));
        var window = new List<ushort>();
        for (int i = 0; i < 4; i++)
        {
            window.Add((await client.ExpectAsync(Short, "a block of the first window")).Number);
        }

        Assert.Equal([1, 2, 3, 4], window);

        // Block 3 "was lost": RFC 7440 says ACK 2, and the server goes on from block 3.
        client.SendTo(oack.From, TftpTestClient.Ack(2));
        var next = new List<ushort>();
        for (int i = 0; i < 4; i++)
        {
            next.Add((await client.ExpectAsync(Short, "a block of the next window")).Number);
        }

        Assert.Equal([3, 4, 5, 6], next);
    }

    [Fact]
    public async Task Client_error_8_after_the_oack_ends_the_transfer_cleanly_and_the_server_keeps_serving()
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(4_000_000);
        server.Write("shim.efi", content);
        using (var probe = server.Client())
        {
            // OVMF/EDK2: RRQ with tsize (and blksize) only to learn the size, then ERROR 8.
            probe.SendRequest("shim.efi", "octet", ("blksize", "1468"), ("tsize", "0"), ("timeout", "1"));
            var oack = await probe.ExpectAsync(Short, "OACK");
            Assert.Equal(TftpOpcode.OptionAck, oack.Opcode);
            Assert.Equal("4000000", oack.OptionAck["tsize"]);
            probe.SendTo(oack.From, TftpTestClient.Error(TftpErrorCode.OptionNegotiation, "tsize query"));

            var after = await probe.ReceiveAsync(TimeSpan.FromSeconds(2.5)); // past two resend timeouts
            Assert.True(after is null, $"the server went on after error 8: {after}");
        }

        await server.WaitIdleAsync(Short);
        Assert.Equal(1, server.Server.CompletedTransfers); // a probe, not a failure
        Assert.Equal(0, server.Server.FailedTransfers);

        using var client = server.Client();
        var download = await client.DownloadAsync("shim.efi", options: [("blksize", "1468"), ("tsize", "0")]);
        Assert.Equal(content, download.Data);
        Assert.Equal("4000000", download.OptionAck!["tsize"]);
    }

    [Fact]
    public async Task A_client_error_mid_transfer_stops_the_server_sending()
    {
        await using var server = TftpTestServer.Start();
        server.Write("f", TftpTestServer.Pattern(10_000));
        using var client = server.Client();

        client.SendRequest("f");
        var d1 = await client.ExpectAsync(Short, "DATA 1");
        client.SendTo(d1.From, TftpTestClient.Ack(1));
        await client.ExpectAsync(Short, "DATA 2");
        client.SendTo(d1.From, TftpTestClient.Error(TftpErrorCode.NotDefined, "user cancelled"));

        Assert.Null(await client.ReceiveAsync(TimeSpan.FromSeconds(2.5)));
        await server.WaitIdleAsync(Short);
        Assert.Equal(1, server.Server.FailedTransfers);
    }

    [Fact]
    public async Task A_packet_from_another_port_gets_error_5_and_the_transfer_continues()
    {
        await using var server = TftpTestServer.Start();
        var content = TftpTestServer.Pattern(1500);
        server.Write("f", content);
        using var client = server.Client();
        using var stranger = server.Client();

        client.SendRequest("f");
        var d1 = await client.ExpectAsync(Short, "DATA 1");
        stranger.SendTo(d1.From, TftpTestClient.Ack(1));
        var error = await stranger.ExpectAsync(Short, "ERROR 5 to the stranger");
        Assert.Equal((TftpOpcode.Error, (ushort)TftpErrorCode.UnknownTransferId), (error.Opcode, error.Number));

        client.SendTo(d1.From, TftpTestClient.Ack(1));
        var d2 = await client.ExpectAsync(Short, "DATA 2");
        Assert.Equal(2, d2.Number);
    }

    [Fact]
    public async Task A_missing_file_is_error_1()
    {
        await using var server = TftpTestServer.Start();
        using var client = server.Client();

        client.SendRequest("pxelinux.cfg/01-52-54-00-c6-00-01", "octet", ("tsize", "0"));
        var reply = await client.ExpectAsync(Short, "ERROR 1");

        Assert.Equal((TftpOpcode.Error, (ushort)TftpErrorCode.FileNotFound), (reply.Opcode, reply.Number));
    }

    public static TheoryData<string> Escapes => new()
    {
        "../etc/passwd",
        "/../../etc/passwd",
        "..\\..\\x",
        "..\\..\\etc\\passwd",
        "a/../../etc/passwd",
        "sub/../../outside-secret.txt",
        "../outside-secret.txt",
        "./../outside-secret.txt",
        "..",
        "/..",
        "C:\\Windows\\win.ini",
        "c:/etc/passwd",
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Paths_that_escape_the_root_are_refused_with_error_2(string name)
    {
        await using var server = TftpTestServer.Start();
        server.Write("sub/inner.txt", "inner"u8.ToArray());
        using var client = server.Client();

        client.SendRequest(name);
        var reply = await client.ExpectAsync(Short, $"ERROR 2 for {name}");

        Assert.True(reply.Opcode == TftpOpcode.Error && reply.Number == (ushort)TftpErrorCode.AccessViolation, $"RRQ {name}: {reply}");
    }

    [Fact]
    public async Task An_absolute_path_is_served_relative_to_the_root_never_from_the_host()
    {
        await using var server = TftpTestServer.Start();
        server.Write("etc/passwd", "root-relative copy\n"u8.ToArray());
        using var client = server.Client();

        var download = await client.DownloadAsync("/etc/passwd");

        Assert.Equal("root-relative copy\n", Encoding.ASCII.GetString(download.Data));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("//etc/passwd")]
    [InlineData("\\etc\\passwd")]
    public async Task An_absolute_path_to_a_file_absent_from_the_root_is_not_found(string name)
    {
        await using var server = TftpTestServer.Start();
        using var client = server.Client();

        client.SendRequest(name);
        var reply = await client.ExpectAsync(Short, "ERROR");

        Assert.True(reply.Opcode == TftpOpcode.Error && reply.Number is (ushort)TftpErrorCode.FileNotFound or (ushort)TftpErrorCode.AccessViolation, $"RRQ {name}: {reply}");
    }

    [Fact]
    public async Task A_backslash_path_is_read_as_a_slash_path()
    {
        await using var server = TftpTestServer.Start();
        server.Write("boot/x64/wdsnbp.com", "wds"u8.ToArray());
        using var client = server.Client();

        var download = await client.DownloadAsync("\\boot\\x64\\wdsnbp.com");

        Assert.Equal("wds"u8.ToArray(), download.Data);
    }

    [Theory]
    [InlineData(false, "etc-hostname")]
    [InlineData(true, "etc-hostname-relative")]
    public async Task A_symlink_in_the_root_pointing_outside_is_refused(bool relative, string name)
    {
        await using var server = TftpTestServer.Start();
        using var outside = new OutsideFile();
        string target = relative ? Path.GetRelativePath(server.Root, outside.Path) : outside.Path;
        File.CreateSymbolicLink(Path.Combine(server.Root, name), target);
        using var client = server.Client();

        client.SendRequest(name);
        var reply = await client.ExpectAsync(Short, "ERROR 2");

        Assert.True(reply.Opcode == TftpOpcode.Error && reply.Number == (ushort)TftpErrorCode.AccessViolation, $"symlink to {target}: {reply}");
    }

    [Fact]
    public async Task A_symlink_to_etc_hostname_is_refused()
    {
        Assert.True(File.Exists("/etc/hostname"), "/etc/hostname is missing on this machine");
        await using var server = TftpTestServer.Start();
        File.CreateSymbolicLink(Path.Combine(server.Root, "hostname"), "/etc/hostname");
        using var client = server.Client();

        client.SendRequest("hostname");
        var reply = await client.ExpectAsync(Short, "ERROR 2");

        Assert.True(reply.Opcode == TftpOpcode.Error && reply.Number == (ushort)TftpErrorCode.AccessViolation, $"symlink to /etc/hostname: {reply}");
    }

    [Fact]
    public async Task A_symlinked_directory_in_the_root_pointing_outside_is_refused()
    {
        await using var server = TftpTestServer.Start();
        using var outside = new OutsideFile();
        Directory.CreateSymbolicLink(Path.Combine(server.Root, "images"), Path.GetDirectoryName(outside.Path)!);
        using var client = server.Client();

        client.SendRequest("images/" + Path.GetFileName(outside.Path));
        var reply = await client.ExpectAsync(Short, "ERROR 2");

        Assert.True(reply.Opcode == TftpOpcode.Error, $"a file outside the root was served through a directory symlink: {reply} (first bytes: \"{Encoding.ASCII.GetString(reply.Payload)}\")");
        Assert.Equal((ushort)TftpErrorCode.AccessViolation, reply.Number);
    }

    [Fact]
    public async Task A_symlink_that_stays_inside_the_root_is_served()
    {
        await using var server = TftpTestServer.Start();
        server.Write("ipxe/snponly.efi", "efi"u8.ToArray());
        File.CreateSymbolicLink(Path.Combine(server.Root, "snponly.efi"), "ipxe/snponly.efi");
        using var client = server.Client();

        var download = await client.DownloadAsync("snponly.efi");

        Assert.Equal("efi"u8.ToArray(), download.Data);
    }

    [Fact]
    public async Task A_write_request_is_refused_with_error_2_and_nothing_is_written()
    {
        await using var server = TftpTestServer.Start();
        using var client = server.Client();

        client.SendTo(client.Server, TftpTestClient.Request(TftpOpcode.WriteRequest, "upload.bin"));
        var reply = await client.ExpectAsync(Short, "ERROR");

        Assert.Equal((TftpOpcode.Error, (ushort)TftpErrorCode.AccessViolation), (reply.Opcode, reply.Number));
        Assert.False(File.Exists(Path.Combine(server.Root, "upload.bin")));
    }

    [Fact]
    public async Task An_unsupported_mode_is_error_4()
    {
        await using var server = TftpTestServer.Start();
        server.Write("f", "x"u8.ToArray());
        using var client = server.Client();

        client.SendRequest("f", "mail");
        var reply = await client.ExpectAsync(Short, "ERROR 4");

        Assert.Equal((TftpOpcode.Error, (ushort)TftpErrorCode.IllegalOperation), (reply.Opcode, reply.Number));
    }

    [Fact]
    public async Task Netascii_turns_lf_into_cr_lf_and_cr_into_cr_nul()
    {
        await using var server = TftpTestServer.Start();
        server.Write("pxelinux.cfg/default", "DEFAULT menu\nLABEL a\r\n\rend"u8.ToArray());
        using var client = server.Client();

        var download = await client.DownloadAsync("pxelinux.cfg/default", "NetASCII", options: [("tsize", "0")]);

        var expected = "DEFAULT menu\r\nLABEL a\r\0\r\n\r\0end"u8.ToArray();
        Assert.Equal(expected, download.Data);
        Assert.Equal(expected.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), download.OptionAck!["tsize"]); // the size on the wire
    }

    [Fact]
    public async Task Netascii_of_a_file_longer_than_a_block_is_converted_across_block_boundaries()
    {
        await using var server = TftpTestServer.Start();
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i}\n"));
        server.Write("long.cfg", Encoding.ASCII.GetBytes(text));
        using var client = server.Client();

        var download = await client.DownloadAsync("long.cfg", "netascii");

        Assert.Equal(text.Replace("\n", "\r\n", StringComparison.Ordinal), Encoding.ASCII.GetString(download.Data));
    }

    [Fact]
    public async Task Single_port_mode_serves_every_transfer_from_the_listening_port()
    {
        await using var server = TftpTestServer.Start(new TftpServerOptions { SinglePort = true });
        var a = TftpTestServer.Pattern(200_000, seed: 1);
        var b = TftpTestServer.Pattern(70_000, seed: 2);
        server.Write("a", a);
        server.Write("b", b);
        using var first = server.Client();
        using var second = server.Client();

        var downloads = await Task.WhenAll(
            first.DownloadAsync("a", options: [("blksize", "1468"), ("windowsize", "4")]),
            second.DownloadAsync("b"));

        Assert.Equal(a, downloads[0].Data);
        Assert.Equal(b, downloads[1].Data);
        Assert.All(downloads, d => Assert.Equal(server.Port, d.ServerTid.Port));
        await server.WaitIdleAsync(Short);
        Assert.Equal(2, server.Server.CompletedTransfers);
    }

    [Fact]
    public async Task Single_port_mode_refuses_writes_and_reports_missing_files()
    {
        await using var server = TftpTestServer.Start(new TftpServerOptions { SinglePort = true });
        using var client = server.Client();

        client.SendTo(client.Server, TftpTestClient.Request(TftpOpcode.WriteRequest, "x"));
        var refused = await client.ExpectAsync(Short, "ERROR 2");
        client.SendRequest("missing");
        var missing = await client.ExpectAsync(Short, "ERROR 1");

        Assert.Equal((TftpOpcode.Error, (ushort)TftpErrorCode.AccessViolation), (refused.Opcode, refused.Number));
        Assert.Equal((TftpOpcode.Error, (ushort)TftpErrorCode.FileNotFound), (missing.Opcode, missing.Number));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fifty_concurrent_transfers_all_complete(bool singlePort)
    {
        await using var server = TftpTestServer.Start(new TftpServerOptions { SinglePort = singlePort });
        var files = Enumerable.Range(0, 5).Select(i => TftpTestServer.Pattern(150_000 + (i * 7777), seed: i)).ToArray();
        for (int i = 0; i < files.Length; i++)
        {
            server.Write($"f{i}", files[i]);
        }

        var clients = Enumerable.Range(0, 50).Select(_ => server.Client()).ToArray();
        try
        {
            var downloads = await Task.WhenAll(clients.Select((c, i) => c.DownloadAsync(
                $"f{i % 5}",
                silence: TimeSpan.FromSeconds(20),
                options: (i % 3) switch
                {
                    0 => [],
                    1 => [("blksize", "1468"), ("tsize", "0")],
                    _ => [("blksize", "1024"), ("windowsize", "8")],
                })));

            for (int i = 0; i < downloads.Length; i++)
            {
                Assert.True(files[i % 5].AsSpan().SequenceEqual(downloads[i].Data), $"transfer {i} of f{i % 5} differs");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        await server.WaitIdleAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(50, server.Server.CompletedTransfers);
        Assert.Equal(0, server.Server.FailedTransfers);
    }

    /// <summary>
    /// Each transfer's socket must get its own port. Linux hands the same ephemeral UDP port to
    /// two sockets that both set SO_REUSEADDR before bind(port 0); the ACKs of one client then
    /// reach the other transfer, which answers error 5 ("unknown transfer id"), and the first
    /// transfer stalls. 600 transfers held open at once make a shared port all but certain.
    /// </summary>
    [Fact]
    public async Task Every_concurrent_transfer_gets_its_own_port()
    {
        const int transfers = 600;
        await using var server = TftpTestServer.Start(new TftpServerOptions { MaximumTransfers = 1000, Timeout = TimeSpan.FromSeconds(30) });
        server.Write("f", TftpTestServer.Pattern(5000));
        using var client = server.Client();

        var ports = new List<int>();
        while (ports.Count < transfers)
        {
            // In batches of 50 (a burst of hundreds of RRQs would overflow the listener's receive buffer).
            for (int i = 0; i < 50; i++)
            {
                client.SendRequest("f"); // never ACKed: every transfer keeps its socket while we count
            }

            for (int i = 0; i < 50; i++)
            {
                var packet = await client.ExpectAsync(TimeSpan.FromSeconds(20), $"DATA 1 of transfer {ports.Count + 1}");
                Assert.True(packet.Opcode == TftpOpcode.Data && packet.Number == 1, $"expected DATA 1, got {packet}");
                ports.Add(packet.From.Port);
            }
        }

        Assert.Equal(transfers, ports.Count);
        var shared = ports.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        Assert.True(shared.Count == 0, $"{shared.Count} port(s) used by more than one transfer at once: {string.Join(", ", shared.Take(10))}");
    }

    [Fact]
    public async Task More_transfers_than_the_maximum_are_refused_with_an_error_until_one_ends()
    {
        await using var server = TftpTestServer.Start(new TftpServerOptions { MaximumTransfers = 1 });
        server.Write("f", TftpTestServer.Pattern(2000));
        using var first = server.Client();
        using var second = server.Client();

        first.SendRequest("f");
        var d1 = await first.ExpectAsync(Short, "DATA 1");
        second.SendRequest("f");
        var busy = await second.ExpectAsync(Short, "ERROR busy");
        Assert.Equal(TftpOpcode.Error, busy.Opcode);

        first.SendTo(d1.From, TftpTestClient.Error(TftpErrorCode.NotDefined, "bye"));
        await server.WaitIdleAsync(Short);
        var download = await second.DownloadAsync("f");
        Assert.Equal(2000, download.Data.Length);
    }

    [Fact]
    public async Task A_generated_file_from_the_virtual_provider_is_served_per_client()
    {
        await using var server = TftpTestServer.Start(files: root => new VirtualFileProvider(new DirectoryFileProvider(root))
            .Add("boot.ipxe", client => $"#!ipxe\necho hello {client.RemoteEndPoint.Address}\n")
            .Add("nothing.ipxe", _ => null));
        using var client = server.Client();

        var download = await client.DownloadAsync("/boot.ipxe", options: [("tsize", "0")]);
        client.SendRequest("nothing.ipxe");
        var missing = await client.ExpectAsync(Short, "ERROR 1");

        Assert.Equal("#!ipxe\necho hello 127.0.0.1\n", Encoding.UTF8.GetString(download.Data));
        Assert.Equal(download.Data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), download.OptionAck!["tsize"]);
        Assert.Equal((TftpOpcode.Error, (ushort)TftpErrorCode.FileNotFound), (missing.Opcode, missing.Number));
    }

    [Fact]
    public async Task Garbage_on_the_listening_port_does_not_stop_the_server()
    {
        await using var server = TftpTestServer.Start();
        server.Write("f", "ok"u8.ToArray());
        using var client = server.Client();

        client.SendTo(client.Server, [0]);
        client.SendTo(client.Server, [0, 1, (byte)'f']); // RRQ without NUL
        client.SendTo(client.Server, [0, 1, 0, 0]);     // empty file name
        client.SendTo(client.Server, [0, 9, 1, 2, 3]);
        while (await client.ReceiveAsync(TimeSpan.FromMilliseconds(300)) is not null)
        {
        }

        var download = await client.DownloadAsync("f");
        Assert.Equal("ok"u8.ToArray(), download.Data);
    }

    /// <summary>A file with unique content in a temporary directory outside any server root.</summary>
    private sealed class OutsideFile : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("dhcpsharp-outside-").FullName;

        public OutsideFile()
        {
            Path = System.IO.Path.Combine(_directory, "secret.txt");
            File.WriteAllText(Path, "SECRET outside the TFTP root\n");
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}
