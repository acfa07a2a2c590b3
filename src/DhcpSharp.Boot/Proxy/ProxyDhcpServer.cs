using System.Net;
using DhcpSharp.Boot.Policy;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Formatting;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Boot.Proxy;

/// <summary>
/// proxyDHCP (PXE 2.1): beside a DHCP server it cannot change, it gives PXE and HTTP-boot clients
/// their boot file and never an address. Port 67: a proxy OFFER (yiaddr 0, option 60) to each
/// PXE DISCOVER. Port 4011: an ACK to boot-server requests, sent back to the request's source
/// address and port. Per firmware (see the reference captures and EDK2's offer classification):
/// BIOS gets 43.6 = 8 with siaddr + file (boot directly); UEFI gets no option 43 and no file on
/// 67 (old EDK2 drops proxy offers with 43), then its file on 4011; iPXE gets siaddr + file
/// (its script) and never a menu; HTTPClient gets option 60 "HTTPClient" and an http:// URI.
/// </summary>
public sealed partial class ProxyDhcpServer(BootPolicy policy, DhcpServerMetrics? metrics = null, ILogger? logger = null) : IDhcpRequestHandler
{
    public const int BootServerPort = 4011;
    private const ushort BisLayerBit = 0x8000;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public DhcpServerMetrics Metrics { get; } = metrics ?? new DhcpServerMetrics();

    /// <summary>Log every request and reply decoded.</summary>
    public bool TraceTransactions { get; set; }

    public async ValueTask<DhcpResponse?> HandleAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        Metrics.Received(request.MessageType);
        if (request.Operation != BootOperation.Request)
        {
            return Drop(context, "not a BOOTREQUEST");
        }

        var boot = new BootRequest(context);
        if (!boot.IsNetworkBootClient)
        {
            // A proxy must stay invisible to ordinary clients.
            return Drop(context, "not a PXE or HTTP boot client");
        }

        var bootItem = RequestedBootItem(request);
        bool bootServerRequest = context.Ingress.LocalPort == BootServerPort ||
            (request.MessageType == DhcpMessageType.Request && bootItem is not null && !request.ClientAddress.IsAny);
        DhcpResponse? response;
        if (bootServerRequest)
        {
            response = await AnswerBootServerRequestAsync(context, boot, bootItem, cancellationToken).ConfigureAwait(false);
        }
        else if (request.MessageType == DhcpMessageType.Discover)
        {
            response = await OfferAsync(context, boot, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return Drop(context, "a proxy answers only DISCOVER on 67 and boot-server requests");
        }

        if (response is not null)
        {
            Metrics.Sent(response.Reply.MessageType);
            if (TraceTransactions)
            {
                Trace(_logger, "received", context.Source.ToString(), DhcpMessageFormatter.Format(request));
                Trace(_logger, $"sending ({response.Delivery}) to", response.Destination.ToString(), DhcpMessageFormatter.Format(response.Reply));
            }
        }

        return response;
    }

    private async ValueTask<DhcpResponse?> OfferAsync(DhcpRequestContext context, BootRequest boot, CancellationToken cancellationToken)
    {
        var answer = await policy.DecideAsync(boot, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return Drop(context, "no boot rule matches");
        }

        var offer = NewReply(context, boot, DhcpMessageType.Offer);
        offer.IsBroadcast = true; // the client has no address yet; dnsmasq does the same
        var nextServer = answer.NextServer ?? context.ServerIdentifier;
        if (boot.IsHttpClient)
        {
            if (answer.HttpUrl is null && answer.BootFile is null)
            {
                return Drop(context, "HTTP boot client but the matching rule has no URL");
            }

            SetBootFile(offer, answer.HttpUrl ?? answer.BootFile!, context.ServerIdentifier);
        }
        else if (boot.IsIpxe || boot.Kind.Firmware is BootFirmware.Bios or BootFirmware.Unknown or BootFirmware.Other)
        {
            if (answer.Menu is { } menu && !boot.IsIpxe)
            {
                // Boot-server discovery: the client picks an item and asks 4011 (or 67) for its file.
                offer.Options.Set(DhcpOptions.VendorSpecific, MenuOptions(menu, context.ServerIdentifier).Encode());
            }
            else
            {
                // iPXE accepts a proxy offer that has siaddr and a file; BIOS ROMs need 43.6 = 8 to skip discovery.
                offer.ServerAddress = nextServer;
                offer.ServerName = answer.ServerName ?? nextServer.ToString();
                SetBootFile(offer, answer.BootFile ?? "", context.ServerIdentifier);
                if (!boot.IsIpxe)
                {
                    offer.Options.Set(DhcpOptions.VendorSpecific, new PxeVendorOptions { DiscoveryControl = PxeDiscoveryControl.BootFileDirectly }.Encode());
                }
            }
        }
        else
        {
            // UEFI firmware: a "BINL" offer (no 43, no file) makes EDK2 ask siaddr:4011, on every EDK2 vintage.
            offer.ServerAddress = nextServer;
        }

        return Route(context, offer);
    }

    private async ValueTask<DhcpResponse?> AnswerBootServerRequestAsync(DhcpRequestContext context, BootRequest boot, PxeBootItem? item, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (context.ServerIdentifierInRequest is { } named && named != context.ServerIdentifier)
        {
            return Drop(context, $"boot-server request for {named}");
        }

        if (item is { } asked && (asked.Layer & BisLayerBit) != 0)
        {
            return Drop(context, "PXE BIS credentials are not supported");
        }

        var answer = await policy.DecideAsync(boot, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return Drop(context, "no boot rule matches");
        }

        string? file = answer.BootFile;
        if (item is { } chosen && answer.Menu is { } menu)
        {
            var entry = menu.Items.FirstOrDefault(e => e.Type == chosen.Type);
            if (entry is null)
            {
                return Drop(context, $"no menu item of type {chosen.Type}");
            }

            file = entry.BootFile;
        }

        if (boot.IsHttpClient)
        {
            file = answer.HttpUrl ?? file;
        }

        if (string.IsNullOrEmpty(file))
        {
            return Drop(context, "the matching rule has no boot file");
        }

        var ack = NewReply(context, boot, DhcpMessageType.Ack);
        var nextServer = answer.NextServer ?? context.ServerIdentifier;
        ack.ServerAddress = nextServer;
        ack.ServerName = answer.ServerName ?? nextServer.ToString();
        SetBootFile(ack, file, context.ServerIdentifier);
        if (item is { } echoed)
        {
            // iPXE drops an ACK whose 43.71 differs from the item it asked for.
            ack.Options.Set(DhcpOptions.VendorSpecific, new PxeVendorOptions { BootItem = echoed }.Encode());
            ack.YourAddress = request.ClientAddress;
        }
        else
        {
            ack.ClientAddress = request.ClientAddress;
        }

        var source = context.Source;
        var destination = source.Address.Equals(IPAddress.Any) || source.Port == 0
            ? new IPEndPoint(request.ClientAddress.ToIPAddress(), source.Port == 0 ? 68 : source.Port)
            : source;
        int maximum = request.Options.TryGet(DhcpOptions.MaximumMessageSize, out var size) ? size : DhcpMessageWriter.DefaultMaximumMessageSize;
        return new DhcpResponse(ack, destination, ReplyDelivery.ToSource, maximum);
    }

    /// <summary>The common part of every proxy reply: 54, 60 and the echoed 97.</summary>
    private static DhcpMessage NewReply(DhcpRequestContext context, BootRequest boot, DhcpMessageType type)
    {
        var reply = context.Request.CreateReply(type);
        reply.Seconds = context.Request.Seconds;
        reply.Options.Set(DhcpOptions.ServerIdentifier, context.ServerIdentifier);
        reply.Options.Set(DhcpOptions.VendorClassIdentifier, boot.IsHttpClient ? "HTTPClient" : "PXEClient");
        if (boot.MachineId is { } machineId)
        {
            reply.Options.SetRaw(DhcpOptions.ClientMachineId.Code, machineId);
        }

        return reply;
    }

    /// <summary>
    /// The file field and option 67 (iPXE and EDK2 read either; old ROMs only the field).
    /// "{server}" in the name becomes the replying server's address, so one rule works on every interface.
    /// </summary>
    internal static void SetBootFile(DhcpMessage reply, string file, IPv4Address server)
    {
        file = file.Replace("{server}", server.ToString(), StringComparison.Ordinal);
        if (System.Text.Encoding.UTF8.GetByteCount(file) < DhcpHeaderLayout.BootFileSize)
        {
            reply.BootFileName = file;
        }

        reply.Options.Set(DhcpOptions.BootFileName, file);
    }

    private static PxeVendorOptions MenuOptions(PxeMenu menu, IPv4Address server) => new()
    {
        DiscoveryControl = PxeDiscoveryControl.DisableMulticastDiscovery | PxeDiscoveryControl.DisableBroadcastDiscovery,
        BootServers = [.. menu.Items.Select(i => new PxeBootServer(i.Type, [server]))],
        BootMenu = [.. menu.Items.Select(i => new PxeMenuItem(i.Type, i.Description))],
        MenuPrompt = new PxeMenuPrompt(menu.Timeout, menu.Prompt),
    };

    private static PxeBootItem? RequestedBootItem(DhcpMessage request) =>
        request.Options.TryGetRaw(DhcpOptionCode.VendorSpecific, out var raw) && PxeVendorOptions.TryDecode(raw, out var pxe, out _) ? pxe!.BootItem : null;

    private static DhcpResponse Route(DhcpRequestContext context, DhcpMessage reply)
    {
        int maximum = context.Request.Options.TryGet(DhcpOptions.MaximumMessageSize, out var size) ? size : DhcpMessageWriter.DefaultMaximumMessageSize;
        return context.Request.GatewayAddress.IsAny
            ? new DhcpResponse(reply, new IPEndPoint(IPAddress.Broadcast, 68), ReplyDelivery.Broadcast, maximum)
            : new DhcpResponse(reply, new IPEndPoint(context.Request.GatewayAddress.ToIPAddress(), 67), ReplyDelivery.Relay, maximum);
    }

    private DhcpResponse? Drop(DhcpRequestContext context, string reason)
    {
        Metrics.Drop(reason.StartsWith("boot-server request for", StringComparison.Ordinal) ? "boot-server request for another server" : reason);
        Dropped(_logger, context.MessageType.ToWireName(), context.Client.ToString(), reason);
        return null;
    }

    [LoggerMessage(300, LogLevel.Debug, "proxyDHCP ignored {Type} from {Client}: {Reason}")]
    private static partial void Dropped(ILogger logger, string type, string client, string reason);

    [LoggerMessage(301, LogLevel.Information, "proxyDHCP trace {Direction} {Endpoint}\n{Message}")]
    private static partial void Trace(ILogger logger, string direction, string endpoint, string message);
}
