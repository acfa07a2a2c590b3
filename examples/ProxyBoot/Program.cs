// node-dhcp's proxy example — createServer({ dhcpProxy: true, bootFile: function (req) { … } }) —
// in DhcpSharp: proxyDHCP (67 + 4011) beside the network's own DHCP server, TFTP from a directory,
// the boot file chosen per request by a typed async callback.
//   dotnet run --project examples/ProxyBoot -- IFACE DIR        (root: ports 67, 69, 4011)
using DhcpSharp.Hosting.Application;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Pxe;

var builder = DhcpSharpApplication.CreateBuilder(args)
    .Proxy(args[0])
    .TftpRoot(args[1])
    .BootFile((request, _) => ValueTask.FromResult<string?>(
        request.IsIpxe ? "boot.ipxe" : request.Kind.Firmware == BootFirmware.Bios ? "undionly.kpxe" : "snponly.efi"));
await using var server = builder.Build();
server.Message += (_, e) => Console.WriteLine($"{e.Context.MessageType.ToWireName()} from {e.Context.Client} ({e.Context.Ingress.Name}:{e.Context.Ingress.LocalPort})");
server.Error += (_, e) => Console.Error.WriteLine($"error: {e.Exception.Message}");
server.Listening += (_, _) => Console.WriteLine($"listening on {args[0]}, serving {args[1]}");
server.Closed += (_, _) => Console.WriteLine("closed");
await server.RunAsync();   // until Ctrl+C or SIGTERM
