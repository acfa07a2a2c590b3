// node-dhcp's createServer, in DhcpSharp: a DHCP server as a library, with node-dhcp's config
// keys mapped to typed settings and a per-request callback where node-dhcp used a function.
//   dotnet run --project examples/CreateServer -- IFACE FIRST LAST [--exit-after-lease]
// Needs root (port 67). Stops on Ctrl+C, or after the first lease with --exit-after-lease.
using DhcpSharp.Hosting.Application;
using DhcpSharp.Hosting.Configuration;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Transport;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: CreateServer IFACE FIRST LAST [--exit-after-lease]");
    return 2;
}

var binding = InterfaceBinding.Resolve([args[0]])[0];
bool exitAfterLease = args.Contains("--exit-after-lease");
var options = new DhcpServerOptions
{
    LeaseTime = TimeSpan.FromHours(1),                                // leaseTime
    AlwaysSend = [DhcpOptions.DomainName.Code],                       // forceOptions: ['domainName']
    Options = new OptionSet()
        .Set(DhcpOptions.DomainNameServers, [binding.Address])        // dns
        .Set(DhcpOptions.DomainName, "example.lan"),                  // domainName
    Subnets =
    [
        new SubnetOptions
        {
            Network = binding.Network,                                // netmask (from the interface, not guessed from the range)
            Pools = [new PoolOptions { First = IPv4Address.Parse(args[1]), Last = IPv4Address.Parse(args[2]) }],   // range
            Options = new OptionSet().Set(DhcpOptions.Router, [binding.Address]),                                   // router
            Reservations =                                                                                         // static
            [
                new ReservationOptions { HardwareAddress = HardwareAddress.Parse("52:54:00:00:00:99"), Address = IPv4Address.Parse(args[2]) },
            ],
        },
    ],
};

// node-dhcp: `hostname: function (req) { … }`. Here the callback sees the whole request and the reply.
var callbacks = new DhcpServerCallbacks
{
    BeforeReply = (context, reply, cancellationToken) =>
    {
        reply.Options.Set(DhcpOptions.HostName, "host-" + Convert.ToHexStringLower(context.Request.ClientHardwareAddress[3..]));
        return ValueTask.FromResult(true);
    },
};

using var stop = new CancellationTokenSource();

// node-dhcp's createServer(options): the same composition root the dhcpsharp daemon runs on.
var builder = DhcpSharpApplication.CreateBuilder();
builder.Settings = new DhcpSharpSettings { Dhcp = options, Interfaces = [binding.Name], LeaseFile = EmbeddedLeaseStoreFactory.InMemory };
builder.Callbacks(callbacks);
await using var server = builder.Build();
server.Leases.Bound += (_, e) =>                                      // server.on('bound', …), one lease, not the whole map
{
    Console.WriteLine($"bound {e.Lease.Address} to {e.Lease.ClientKey} until {e.Lease.Expires:u}");
    if (exitAfterLease)
    {
        stop.CancelAfter(TimeSpan.FromMilliseconds(200));             // let the ACK leave first
    }
};
server.Listening += (_, _) => Console.WriteLine($"listening on {binding.Name} ({binding.Address})");
server.Error += (_, e) => Console.Error.WriteLine($"error: {e.Exception.Message}");

await server.RunAsync(stop.Token);                                    // server.listen(); close() on Ctrl+C, SIGTERM or stop
return 0;
