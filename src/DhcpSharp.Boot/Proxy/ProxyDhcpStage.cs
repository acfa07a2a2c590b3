using DhcpSharp.Boot.Policy;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Boot.Proxy;

/// <summary>
/// proxyDHCP (PXE 2.1) as a pipeline stage: for requests no earlier stage took charge of (not in
/// a subnet the DHCP engine serves), it gives PXE and HTTP-boot clients their boot file and never
/// an address. Port 67: a proxy OFFER (yiaddr 0, option 60) to each PXE DISCOVER. Port 4011: an
/// ACK to boot-server requests, sent back to the request's source address and port. Per
/// firmware (see the reference captures and EDK2's offer classification): BIOS gets 43.6 = 8
/// with siaddr + file (boot directly); UEFI gets no option 43 and no file on 67 (old EDK2 drops
/// proxy offers with 43), then its file on 4011; iPXE gets siaddr + file (its script) and never a
/// menu; HTTPClient gets option 60 "HTTPClient" and an http:// URI.
/// </summary>
public sealed class ProxyDhcpStage(BootPolicyHolder policy, IReadOnlySet<string>? interfaces = null) : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    public const int BootServerPort = 4011;
    private const ushort BisLayerBit = 0x8000;

    public bool RunsUserCode => policy.Current.HasCallback;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Handled || (interfaces is { Count: > 0 } && !interfaces.Contains(context.Ingress.Name)))
        {
            return StageResult.ContinueTask;
        }

        context.Handled = true;
        var boot = new BootRequest(context);
        if (!boot.IsNetworkBootClient)
        {
            // A proxy must stay invisible to ordinary clients.
            return Drop("not a PXE or HTTP boot client");
        }

        var request = context.Request;
        var bootItem = RequestedBootItem(request);
        bool bootServerRequest = context.Ingress.LocalPort == BootServerPort ||
            (request.MessageType == DhcpMessageType.Request && bootItem is not null && !request.ClientAddress.IsAny);
        if (bootServerRequest)
        {
            if (context.ServerIdentifierInRequest is { } named && named != context.ServerIdentifier)
            {
                return Drop("boot-server request for another server", $"boot-server request for {named}");
            }

            if (bootItem is { } asked && (asked.Layer & BisLayerBit) != 0)
            {
                return Drop("PXE BIS credentials are not supported");
            }
        }
        else if (request.MessageType != DhcpMessageType.Discover)
        {
            return Drop("a proxy answers only DISCOVER on 67 and boot-server requests");
        }

        var deciding = policy.Current.DecideAsync(boot, cancellationToken);
        return deciding.IsCompletedSuccessfully
            ? ValueTask.FromResult(Answer(context, boot, bootItem, bootServerRequest, deciding.Result))
            : AnswerAsync(context, boot, bootItem, bootServerRequest, deciding);
    }

    private static async ValueTask<StageResult> AnswerAsync(DhcpRequestContext context, BootRequest boot, PxeBootItem? bootItem, bool bootServerRequest, ValueTask<BootAnswer?> deciding) =>
        Answer(context, boot, bootItem, bootServerRequest, await deciding.ConfigureAwait(false));

    private static StageResult Answer(DhcpRequestContext context, BootRequest boot, PxeBootItem? bootItem, bool bootServerRequest, BootAnswer? answer)
    {
        if (answer is null)
        {
            return StageResult.Drop("no boot rule matches");
        }

        return bootServerRequest ? AnswerBootServerRequest(context, boot, bootItem, answer) : Offer(context, boot, answer);
    }

    private static StageResult Offer(DhcpRequestContext context, BootRequest boot, BootAnswer answer)
    {
        var offer = NewReply(context, boot, DhcpMessageType.Offer);
        offer.IsBroadcast = true; // the client has no address yet; dnsmasq does the same
        var nextServer = answer.NextServer ?? context.ServerIdentifier;
        if (boot.IsHttpClient)
        {
            if (answer.HttpUrl is null && answer.BootFile is null)
            {
                return StageResult.Drop("HTTP boot client but the matching rule has no URL");
            }

            BootReplies.SetBootFile(offer, answer.HttpUrl ?? answer.BootFile!, context.ServerIdentifier);
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
                BootReplies.SetBootFile(offer, answer.BootFile ?? "", context.ServerIdentifier);
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

        context.Reply = offer;
        return StageResult.Continue;
    }

    private static StageResult AnswerBootServerRequest(DhcpRequestContext context, BootRequest boot, PxeBootItem? item, BootAnswer answer)
    {
        var request = context.Request;
        string? file = answer.BootFile;
        if (item is { } chosen && answer.Menu is { } menu)
        {
            var entry = menu.Items.FirstOrDefault(e => e.Type == chosen.Type);
            if (entry is null)
            {
                // The type comes from the client: it goes to the log, never into the metric label.
                return StageResult.Drop("no menu item of the requested type", $"no menu item of type {chosen.Type}");
            }

            file = entry.BootFile;
        }

        if (boot.IsHttpClient)
        {
            file = answer.HttpUrl ?? file;
        }

        if (string.IsNullOrEmpty(file))
        {
            return StageResult.Drop("the matching rule has no boot file");
        }

        var ack = NewReply(context, boot, DhcpMessageType.Ack);
        var nextServer = answer.NextServer ?? context.ServerIdentifier;
        ack.ServerAddress = nextServer;
        ack.ServerName = answer.ServerName ?? nextServer.ToString();
        BootReplies.SetBootFile(ack, file, context.ServerIdentifier);
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

        context.Reply = ack;
        context.ReplyToSource = true;
        return StageResult.Continue;
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

    private static PxeVendorOptions MenuOptions(PxeMenu menu, IPv4Address server) => new()
    {
        DiscoveryControl = PxeDiscoveryControl.DisableMulticastDiscovery | PxeDiscoveryControl.DisableBroadcastDiscovery,
        BootServers = [.. menu.Items.Select(i => new PxeBootServer(i.Type, [server]))],
        BootMenu = [.. menu.Items.Select(i => new PxeMenuItem(i.Type, i.Description))],
        MenuPrompt = new PxeMenuPrompt(menu.Timeout, menu.Prompt),
    };

    private static PxeBootItem? RequestedBootItem(DhcpMessage request) =>
        request.Options.TryGetRaw(DhcpOptionCode.VendorSpecific, out var raw) && PxeVendorOptions.TryDecode(raw, out var pxe, out _) ? pxe!.BootItem : null;

    private static ValueTask<StageResult> Drop(string reason, string? detail = null) => ValueTask.FromResult(StageResult.Drop(reason, detail));
}
