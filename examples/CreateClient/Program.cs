// node-dhcp's createClient, in DhcpSharp: obtain a lease, print it, release it.
//   dotnet run --project examples/CreateClient -- IFACE
// Needs root (port 68, SO_BINDTODEVICE). Like node-dhcp it does not configure the interface.
using DhcpSharp.Client;
using DhcpSharp.Client.Transport;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: CreateClient IFACE");
    return 2;
}

string interfaceName = args[0];
var options = new DhcpClientOptions
{
    HardwareAddress = NetworkInterfaceInfo.GetHardwareAddress(interfaceName),   // mac (default: the interface's)
    HostName = "example-client",
    // features: extra option names for the parameter request list
    ParameterRequestList = DhcpClientOptions.ResolveOptionCodes(["netmask", "router", "dns", "domainName", "leaseTime", "server", "renewalTime", "rebindingTime"]),
};

await using var transport = DhcpUdpClientTransport.Open(interfaceName);
await using var client = new DhcpClient(options, transport);
client.LeaseChanged += (_, change) => Console.WriteLine($"{change.Kind}: {change.Lease?.Address}");   // client.on('bound', …)

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await client.StartAsync(timeout.Token);                                          // client.sendDiscover(); REQUEST follows by itself
var lease = await client.WaitForLeaseAsync(timeout.Token);
Console.WriteLine($"address {lease.Address}/{lease.PrefixLength} router {string.Join(",", lease.Routers)} dns {string.Join(",", lease.DnsServers)} server {lease.ServerIdentifier} lease {lease.LeaseTime.TotalSeconds:0}s");
await client.ReleaseAsync(cancellationToken: timeout.Token);                     // client.sendRelease()
Console.WriteLine("released");
return 0;
