// A tour of the codec: read a PXE DISCOVER without allocating, build a proxyDHCP-style reply,
// register a custom option, and print the human dump. Run: dotnet run --project examples/CodecTour
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Formatting;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;

// A DISCOVER as OVMF sends it (built here; normally it arrives from a socket).
var client = new DhcpMessage { TransactionId = 0x2a5e1c07, ClientHardwareAddress = HardwareAddress.Parse("52:54:00:c6:00:01"), IsBroadcast = true };
client.MessageType = DhcpMessageType.Discover;
client.Options.Set(DhcpOptions.VendorClassIdentifier, "PXEClient:Arch:00007:UNDI:003000");
client.Options.Set(DhcpOptions.ClientArchitecture, [ProcessorArchitecture.X64Uefi]);
client.Options.Set(DhcpOptions.ClientMachineId, new ClientMachineId(0, Guid.Parse("8a0c1c2e-5ca1-4e00-9d00-0000c6000001").ToByteArray()));
byte[] datagram = client.ToArray();

// Hot path: validate and read without allocating.
if (!DhcpPacketReader.TryRead(datagram, out var request, out var error))
{
    Console.WriteLine($"dropped: {error}");
    return 1;
}

bool isPxe = request.TryGetOption(DhcpOptionCode.VendorClassIdentifier, out var vendorClass) && vendorClass.StartsWith("PXEClient"u8);
Console.WriteLine($"{request.MessageType.ToWireName()} xid=0x{request.TransactionId:x8} from {HardwareAddress.Format(request.ClientHardwareAddress)} pxe={isPxe}");

// Owned model for the reply; typed access through the option table.
var discover = DhcpMessage.FromReader(request);
var architecture = discover.Options.GetOrDefault(DhcpOptions.ClientArchitecture, [ProcessorArchitecture.X86Bios])[0];
var reply = discover.CreateReply(DhcpMessageType.Offer);
reply.Options.Set(DhcpOptions.ServerIdentifier, IPv4Address.Parse("192.0.2.2"));
reply.Options.Set(DhcpOptions.VendorClassIdentifier, "PXEClient");
if (discover.Options.TryGetRaw(DhcpOptions.ClientMachineId.Code, out var machineId))
{
    reply.Options.SetRaw(DhcpOptions.ClientMachineId.Code, machineId);
}

reply.ServerAddress = IPv4Address.Parse("192.0.2.2");
reply.BootFileName = architecture.Classify().Firmware == BootFirmware.Bios ? "undionly.kpxe" : "ipxe.efi";

// node-dhcp's addOption: a definition of your own, here in a private copy of the table.
var table = DhcpOptionSpaces.Dhcp4.Clone("site");
var siteUrl = new DhcpOptionDefinition<string>(224, "Site Config URL", "siteConfigUrl", OptionCodecs.Text);
table.Register(siteUrl);
reply.Options.Set(siteUrl, "http://192.0.2.2/site.json");

byte[] bytes = reply.ToArray(discover.Options.GetOrDefault(DhcpOptions.MaximumMessageSize, (ushort)576));
Console.Write(DhcpMessageFormatter.Format(DhcpMessage.Parse(bytes), table));
return 0;
