// node-dhcp's createBroadcastHandler, in DhcpSharp: see every DHCP message on an interface, never reply.
//   dotnet run --project examples/BroadcastHandler -- IFACE [COUNT]
// Needs root (AF_PACKET). Prints COUNT messages (default 4: one DORA exchange), then exits.
using DhcpSharp.Client.Monitoring;
using DhcpSharp.Protocol;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: BroadcastHandler IFACE [COUNT]");
    return 2;
}

int count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await using var listener = new DhcpBroadcastListener(args[0]);
Console.WriteLine($"listening on {args[0]}");
try
{
    await foreach (var observed in listener.ListenAsync(timeout.Token))                          // handler.on('message', …)
    {
        var message = observed.Message;
        Console.WriteLine(message is null
            ? $"{observed.Datagram.Source}:{observed.Datagram.SourcePort} malformed: {observed.Error}"
            : $"{message.MessageType.ToWireName()} xid=0x{message.TransactionId:x8} chaddr={HardwareAddress.Format(message.ClientHardwareAddress)} yiaddr={message.YourAddress}");
        if (--count == 0)
        {
            break;
        }
    }
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("timed out");
    return 1;
}

return 0;
