using System.Reflection;
using DhcpSharp.Protocol;
using DhcpSharp.Pxe.Tests.Harness;

namespace DhcpSharp.Pxe.Tests;

/// <summary>
/// Real firmware network-boots against the real <c>dhcpsharp serve</c>. Each boot proves success
/// twice: the payload prints a per-run marker (and what the client learned) on the serial
/// console, and the capture taken on the client's tap shows who answered what.
/// Topology: bridge + client tap in <c>dspxe-ID-lan</c>; dhcpsharp at 10.235.0.2 (host "ds"),
/// dnsmasq at 10.235.0.1 (host "dm") in the proxy scenarios; pool 10.235.0.100–199.
/// </summary>
[Collection(PxeCollection.Name)]
public sealed class PxeBootTests(ITestOutputHelper output)
{
    private const string BootScript = "boot.ipxe";
    private const string SnpOnly = "snponly.efi";

    private static readonly IPv4Address DhcpSharp = IPv4Address.Parse(PxeLab.DhcpSharpAddress);
    private static readonly IPv4Address Dnsmasq = IPv4Address.Parse(PxeLab.DnsmasqAddress);

    private static readonly string[] QemuPrograms = ["qemu-system-x86_64", "dumpcap"];
    private static readonly string[] BiosFiles = [FirmwareFiles.BiosNicRom];
    private static readonly string[] UefiFiles = [FirmwareFiles.OvmfCode, FirmwareFiles.OvmfVars, FirmwareFiles.IpxeSnp];

    [Fact]
    public async Task Bios_client_boots_with_dhcpsharp_as_the_only_server()
    {
        await using var lab = await PxeLab.CreateAsync(output, "bios-full", QemuPrograms, BiosFiles);
        var boot = await BootFullModeAsync(lab, ClientFirmware.Bios);

        AssertFullMode(lab, boot, "pcbios");
        // The iPXE ROM is the PXE client: architecture 0, and it identifies itself as iPXE.
        var discover = FirstDiscover(boot.Trace);
        Assert.True(discover.Architecture == 0 && discover.IsIpxe, $"the BIOS client's first DISCOVER should carry option 93 = 0 and iPXE's user class: {discover}");
        lab.Passed();
    }

    [Fact]
    public async Task Uefi_client_boots_with_dhcpsharp_as_the_only_server()
    {
        await using var lab = await PxeLab.CreateAsync(output, "uefi-full", QemuPrograms, UefiFiles);
        var boot = await BootFullModeAsync(lab, ClientFirmware.Uefi);

        AssertFullMode(lab, boot, "efi");
        AssertEdk2GotSnpOnly(lab, boot.Trace);
        lab.Passed();
    }

    [Fact]
    public async Task Bios_client_boots_through_the_proxy_beside_dnsmasq()
    {
        await using var lab = await PxeLab.CreateAsync(output, "bios-proxy", [.. QemuPrograms, "dnsmasq"], BiosFiles);
        var boot = await BootProxyModeAsync(lab, ClientFirmware.Bios);

        AssertProxyMode(lab, boot, "pcbios", BootScript);
        lab.Passed();
    }

    [Fact]
    public async Task Uefi_client_boots_through_the_proxy_beside_dnsmasq()
    {
        await using var lab = await PxeLab.CreateAsync(output, "uefi-proxy", [.. QemuPrograms, "dnsmasq"], UefiFiles);
        var boot = await BootProxyModeAsync(lab, ClientFirmware.Uefi);

        AssertProxyMode(lab, boot, "efi", BootScript);
        AssertEdk2GotSnpOnly(lab, boot.Trace);
        // EDK2 asks the proxy's boot-server port for its file.
        var trace = boot.Trace;
        var request = trace.Dhcp.FirstOrDefault(p => !p.IsReply && p.Destination == DhcpSharp && p.DestinationPort == 4011);
        Assert.True(request is not null, $"EDK2 sent no request to {DhcpSharp}:4011.\n{trace.Timeline()}");
        Assert.True(request!.Architecture == 7, $"the port-4011 request should carry option 93 = 7: {request}");
        var ack = trace.Dhcp.FirstOrDefault(p => p.IsReply && p.Source == DhcpSharp && p.SourcePort == 4011 && p.Message.TransactionId == request.Message.TransactionId);
        Assert.True(ack is not null, $"dhcpsharp did not answer the port-4011 request {request}.\n{trace.Timeline()}");
        Assert.True(ack!.Type == DhcpMessageType.Ack && ack.BootFile == SnpOnly, $"the port-4011 answer should be an ACK naming {SnpOnly}: {ack}");
        lab.Passed();
    }

    [Fact]
    public async Task Bios_client_boots_through_the_ProxyBoot_library_example_beside_dnsmasq()
    {
        // node-dhcp's proxy example on the library entry point: the boot file comes from its typed callback.
        await using var lab = await PxeLab.CreateAsync(output, "bios-proxyboot", [.. QemuPrograms, "dnsmasq"], BiosFiles);
        Payloads.WriteIpxeScript(lab.TftpRoot, lab.Nonce, lab.Marker);
        await lab.StartCaptureOnClientTapAsync();
        await lab.StartDnsmasqAsync();
        var example = await lab.StartProxyBootExampleAsync(Example("ProxyBoot"));
        var boot = await lab.BootAsync(ClientFirmware.Bios);

        AssertProxyMode(lab, boot, "pcbios", BootScript);
        // Its events fired: every request was reported by the Message handler.
        Assert.Contains("DISCOVER from", example.Output, StringComparison.Ordinal);
        Assert.Contains("listening on", example.Output, StringComparison.Ordinal);
        lab.Passed();
    }

    [Fact]
    public async Task Pxelinux_boots_through_the_proxy_beside_dnsmasq()
    {
        string[] files = [.. BiosFiles, FirmwareFiles.Pxelinux, Path.Combine(FirmwareFiles.SyslinuxBiosModules, "ldlinux.c32")];
        await using var lab = await PxeLab.CreateAsync(output, "pxelinux-proxy", [.. QemuPrograms, "dnsmasq"], files);
        Payloads.WritePxelinux(lab.TftpRoot, lab.Marker);
        await lab.StartCaptureOnClientTapAsync();
        await lab.StartDnsmasqAsync();
        // iPXE (the NIC's ROM) gets pxelinux.0 instead of a script, and runs it through its PXE API.
        await lab.StartDhcpSharpAsync("--proxy", "--tftp-root", lab.TftpRoot, "--boot", "ipxe=pxelinux.0");
        var boot = await lab.BootAsync(ClientFirmware.Bios);
        var trace = boot.Trace;

        Assert.Contains("PXELINUX", boot.Console, StringComparison.Ordinal);
        AssertAddressFromDnsmasqOnly(trace, ipFromConsole: null);
        AssertBootFilesOnlyFromDhcpSharp(trace);
        AssertAllTftpFromDhcpSharp(lab, trace, "pxelinux.0", "ldlinux.c32", "pxelinux.cfg/default");
        // PXELINUX looks for its config under ever shorter names (UUID, MAC, hex IP …) before "default":
        // each miss must be a TFTP "file not found" from dhcpsharp, not a timeout.
        var misses = trace.Tftp.Where(t => t.File.StartsWith("pxelinux.cfg/", StringComparison.Ordinal) && t.File != "pxelinux.cfg/default").ToList();
        Assert.True(misses.Count > 0, $"PXELINUX asked for no other config file before pxelinux.cfg/default.\n{trace.Timeline()}");
        var unanswered = misses.Where(t => t.ServerError is not { Code: 1 }).ToList();
        Assert.True(unanswered.Count == 0, $"config files that did not get TFTP error 1 (file not found):\n{string.Join('\n', unanswered)}");
        output.WriteLine($"PXELINUX config search: {misses.Count} names answered 'file not found' before pxelinux.cfg/default");
        lab.Passed();
    }

    [Fact]
    public async Task Proxy_stays_silent_to_a_client_that_is_not_pxe()
    {
        await using var lab = await PxeLab.CreateAsync(output, "non-pxe", ["udhcpc", "dumpcap"], []);
        var client = await lab.Network.AddHostAsync("uc", null);
        await lab.StartCaptureAsync(client.Namespace, client.Interface);
        await lab.StartDhcpSharpAsync("--proxy", "--tftp-root", lab.TftpRoot);

        // No DHCP server on the segment: an ordinary client keeps DISCOVERing and must hear nothing.
        string[] udhcpc = [Prerequisites.Tool("udhcpc"), "-f", "-q", "-n", "-t", "3", "-T", "1", "-s", "/bin/true", "-i", client.Interface];
        var plain = lab.Start("udhcpc", TimeSpan.FromSeconds(20), client.Namespace, udhcpc);
        Assert.True(await plain.WaitForExitAsync(TimeSpan.FromSeconds(20)), "udhcpc did not give up within 20 s");
        // Control: the same client claiming to be a BIOS PXE ROM is answered, so the silence above means something.
        var pxeLike = lab.Start("udhcpc-pxe", TimeSpan.FromSeconds(20), client.Namespace,
            [.. udhcpc, "-V", "PXEClient:Arch:00000:UNDI:002001", "-x", "0x5d:0000"]);
        await pxeLike.WaitForExitAsync(TimeSpan.FromSeconds(6));
        await pxeLike.StopAsync();
        var trace = await lab.StopCaptureAsync();

        // udhcpc's own vendor class is "udhcp 1.35.0"; the control's is PXEClient:…
        var discovers = trace.Dhcp.Where(p => p.Type == DhcpMessageType.Discover).ToLookup(p => p.VendorClass?.StartsWith("PXEClient", StringComparison.Ordinal) == true);
        var plainXids = discovers[false].Select(p => p.Message.TransactionId).ToHashSet();
        var pxeXids = discovers[true].Select(p => p.Message.TransactionId).ToHashSet();
        Assert.True(discovers[false].Count() >= 3, $"expected at least 3 DISCOVERs from plain udhcpc.\n{trace.Timeline()}");
        var fromProxy = trace.Dhcp.Where(p => p.Source == DhcpSharp).ToList();
        var answeredPlain = fromProxy.Where(p => plainXids.Contains(p.Message.TransactionId)).ToList();
        Assert.True(answeredPlain.Count == 0, $"the proxy answered a client that is not PXE:\n{string.Join('\n', answeredPlain)}");
        Assert.True(fromProxy.Any(p => pxeXids.Contains(p.Message.TransactionId) && p.Type == DhcpMessageType.Offer && p.Message.YourAddress.IsAny),
            $"control failed: the proxy sent no OFFER (yiaddr 0.0.0.0) to the PXE-looking DISCOVER.\n{trace.Timeline()}");
        output.WriteLine($"plain DISCOVERs: {discovers[false].Count()}, replies from {DhcpSharp} to them: 0; replies to the PXE-looking control: {fromProxy.Count(p => pxeXids.Contains(p.Message.TransactionId))}");
        lab.Passed();
    }

    private static async Task<BootResult> BootFullModeAsync(PxeLab lab, ClientFirmware firmware)
    {
        Payloads.WriteIpxeScript(lab.TftpRoot, lab.Nonce, lab.Marker);
        await lab.StartCaptureOnClientTapAsync();
        await lab.StartDhcpSharpAsync("--range", $"{PxeLab.PoolStart}-{PxeLab.PoolEnd}", "--subnet", "10.235.0.0/16", "--tftp-root", lab.TftpRoot);
        return await lab.BootAsync(firmware);
    }

    private static async Task<BootResult> BootProxyModeAsync(PxeLab lab, ClientFirmware firmware)
    {
        Payloads.WriteIpxeScript(lab.TftpRoot, lab.Nonce, lab.Marker);
        await lab.StartCaptureOnClientTapAsync();
        await lab.StartDnsmasqAsync();
        await lab.StartDhcpSharpAsync("--proxy", "--tftp-root", lab.TftpRoot);
        return await lab.BootAsync(firmware);
    }

    /// <summary>dhcpsharp alone: the address, the boot file and every TFTP byte came from it.</summary>
    private static void AssertFullMode(PxeLab lab, BootResult boot, string platform)
    {
        var trace = boot.Trace;
        AssertScriptFacts(boot, platform, dhcpServer: DhcpSharp);
        var acks = trace.Dhcp.Where(p => p.Type == DhcpMessageType.Ack && p.SourcePort == 67 && !p.Message.YourAddress.IsAny).ToList();
        Assert.True(acks.Count > 0 && acks.All(p => p.Source == DhcpSharp), $"every address ACK should come from dhcpsharp ({DhcpSharp}).\n{trace.Timeline()}");
        Assert.Contains(boot.Facts["ip"], acks.Select(a => a.Message.YourAddress.ToString()));
        AssertBootFilesOnlyFromDhcpSharp(trace);
        AssertAllTftpFromDhcpSharp(lab, trace, BootScript);
    }

    /// <summary>dnsmasq gave the address; dhcpsharp only the boot information and the files.</summary>
    private static void AssertProxyMode(PxeLab lab, BootResult boot, string platform, string bootFile)
    {
        var trace = boot.Trace;
        AssertScriptFacts(boot, platform, dhcpServer: Dnsmasq);
        AssertAddressFromDnsmasqOnly(trace, boot.Facts["ip"]);
        var proxyOffer = trace.Dhcp.FirstOrDefault(p => p.Source == DhcpSharp && p.SourcePort == 67 && p.Type == DhcpMessageType.Offer);
        Assert.True(proxyOffer is not null && proxyOffer.Message.YourAddress.IsAny && proxyOffer.VendorClass == "PXEClient",
            $"dhcpsharp should send a proxy OFFER (yiaddr 0.0.0.0, option 60 PXEClient) from port 67: {proxyOffer?.ToString() ?? "none"}.\n{trace.Timeline()}");
        AssertBootFilesOnlyFromDhcpSharp(trace);
        AssertAllTftpFromDhcpSharp(lab, trace, bootFile);
    }

    /// <summary>The facts boot.ipxe printed: platform, an address from the pool, the DHCP server's identifier, the script's own name.</summary>
    private static void AssertScriptFacts(BootResult boot, string platform, IPv4Address dhcpServer)
    {
        string facts = string.Join(' ', boot.Facts.Select(f => $"{f.Key}={f.Value}"));
        Assert.True(boot.Facts.ContainsKey("end"), $"boot.ipxe's fact lines are missing from the console (got: {facts})");
        Assert.Equal(platform, boot.Facts["platform"]);
        Assert.True(IPv4Address.TryParse(boot.Facts["ip"], out var ip) && ip >= IPv4Address.Parse(PxeLab.PoolStart) && ip <= IPv4Address.Parse(PxeLab.PoolEnd),
            $"the client's address should be in the pool {PxeLab.PoolStart}-{PxeLab.PoolEnd}: {facts}");
        Assert.Equal(dhcpServer.ToString(), boot.Facts["dhcp-server"]);
        Assert.Equal(BootScript, boot.Facts["filename"]);
    }

    /// <summary>Every ACK with an address came from dnsmasq; dhcpsharp never put an address in a port-67 reply.</summary>
    private static void AssertAddressFromDnsmasqOnly(BootTrace trace, string? ipFromConsole)
    {
        var acks = trace.Dhcp.Where(p => p.Type == DhcpMessageType.Ack && p.SourcePort == 67 && !p.Message.YourAddress.IsAny).ToList();
        Assert.True(acks.Count > 0, $"no DHCPACK with an address on port 67.\n{trace.Timeline()}");
        Assert.True(acks.All(p => p.Source == Dnsmasq), $"every address ACK should come from dnsmasq ({Dnsmasq}):\n{string.Join('\n', acks)}");
        if (ipFromConsole is not null)
        {
            Assert.Contains(ipFromConsole, acks.Select(a => a.Message.YourAddress.ToString()));
        }

        var leaked = trace.Dhcp.Where(p => p.IsReply && p.Source == DhcpSharp && p.SourcePort == 67 && !p.Message.YourAddress.IsAny).ToList();
        Assert.True(leaked.Count == 0, $"the proxy put an address in a port-67 reply:\n{string.Join('\n', leaked)}");
    }

    /// <summary>Every reply that names a boot file (file field or option 67) came from dhcpsharp, and there was one.</summary>
    private static void AssertBootFilesOnlyFromDhcpSharp(BootTrace trace)
    {
        var named = trace.Dhcp.Where(p => p.IsReply && p.BootFile is not null).ToList();
        Assert.True(named.Count > 0, $"no reply named a boot file.\n{trace.Timeline()}");
        Assert.True(named.All(p => p.Source == DhcpSharp), $"boot files should come only from dhcpsharp ({DhcpSharp}):\n{string.Join('\n', named)}");
    }

    /// <summary>
    /// Every TFTP request went to dhcpsharp and every TFTP packet to the client came from it; each
    /// named file arrived complete, byte count equal to the file dhcpsharp serves.
    /// </summary>
    private static void AssertAllTftpFromDhcpSharp(PxeLab lab, BootTrace trace, params string[] files)
    {
        var elsewhere = trace.Tftp.Where(t => t.RequestedFrom != DhcpSharp || t.Senders.Any(s => s != DhcpSharp)).ToList();
        Assert.True(elsewhere.Count == 0, $"TFTP traffic not between the client and dhcpsharp ({DhcpSharp}):\n{string.Join('\n', elsewhere)}");
        foreach (string file in files)
        {
            string source = File.Exists(Path.Combine(lab.TftpRoot, file)) ? Path.Combine(lab.TftpRoot, file) : Path.Combine(FirmwareFiles.IpxeDirectory, file);
            long size = new FileInfo(source).Length;
            Assert.True(trace.Tftp.Any(t => t.File == file && t.Complete && t.Bytes == size),
                $"{file} ({size} bytes, from {source}) was not transferred completely by TFTP.\n{trace.Timeline()}");
        }
    }

    /// <summary>EDK2's own PXE (option 93 = 7, not iPXE) was told snponly.efi and fetched all of it (dhcpsharp serves it from /usr/lib/ipxe).</summary>
    private static void AssertEdk2GotSnpOnly(PxeLab lab, BootTrace trace)
    {
        var discover = FirstDiscover(trace);
        Assert.True(discover.Architecture == 7 && !discover.IsIpxe && discover.VendorClass?.StartsWith("PXEClient:Arch:00007", StringComparison.Ordinal) == true,
            $"the UEFI client's first DISCOVER should be EDK2's (option 93 = 7, PXEClient:Arch:00007, no iPXE): {discover}");
        var told = trace.Dhcp.Where(p => p.IsReply && p.BootFile == SnpOnly).ToList();
        Assert.True(told.Count > 0 && told.All(p => p.Source == DhcpSharp), $"dhcpsharp should name {SnpOnly} to EDK2.\n{trace.Timeline()}");
        AssertAllTftpFromDhcpSharp(lab, trace, SnpOnly);
    }

    private static string Example(string name)
    {
        string? path = typeof(PxeBootTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == $"Example:{name}")?.Value;
        Assert.True(path is not null && File.Exists(path), $"example {name} was not built (recorded path \"{path}\")");
        return path!;
    }

    private static DhcpPacket FirstDiscover(BootTrace trace) =>
        trace.Dhcp.FirstOrDefault(p => p.Type == DhcpMessageType.Discover) ?? throw new InvalidOperationException($"the capture has no DISCOVER.\n{trace.Timeline()}");
}
