using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Client.StateMachine;

/// <summary>
/// Builds the client's messages with the fields and options RFC 2131 table 5 prescribes for each
/// (what MUST, MAY and MUST NOT be in a DISCOVER, REQUEST, DECLINE, RELEASE and INFORM).
/// </summary>
internal sealed class ClientMessageFactory(DhcpClientOptions options)
{
    private readonly byte[]? _clientIdentifier = options.SendClientIdentifier ? DhcpOptions.ClientIdentifier.Encode(options.EffectiveClientIdentifier) : null;

    public byte[] ClientIdentifierBytes => _clientIdentifier ?? [];

    public DhcpMessage Discover(uint xid, ushort seconds, IPv4Address? requestedAddress)
    {
        var message = New(DhcpMessageType.Discover, xid, seconds, options.RequestBroadcastReplies);
        if (requestedAddress is { } address)
        {
            message.Options.Set(DhcpOptions.RequestedAddress, address);
        }

        AddParameters(message);
        return message;
    }

    /// <summary>SELECTING: names the chosen server (54) and its offered address (50); ciaddr stays 0.</summary>
    public DhcpMessage SelectingRequest(uint xid, ushort seconds, DhcpOffer offer)
    {
        var message = New(DhcpMessageType.Request, xid, seconds, options.RequestBroadcastReplies);
        message.Options.Set(DhcpOptions.RequestedAddress, offer.Address);
        message.Options.Set(DhcpOptions.ServerIdentifier, offer.ServerIdentifier);
        AddParameters(message);
        return message;
    }

    /// <summary>INIT-REBOOT: the remembered address in 50, no server identifier, ciaddr 0.</summary>
    public DhcpMessage InitRebootRequest(uint xid, ushort seconds, IPv4Address address)
    {
        var message = New(DhcpMessageType.Request, xid, seconds, options.RequestBroadcastReplies);
        message.Options.Set(DhcpOptions.RequestedAddress, address);
        AddParameters(message);
        return message;
    }

    /// <summary>RENEWING and REBINDING: the address in ciaddr and neither 50 nor 54 (the server answers to ciaddr).</summary>
    public DhcpMessage RenewRequest(uint xid, ushort seconds, IPv4Address address)
    {
        var message = New(DhcpMessageType.Request, xid, seconds, broadcast: false);
        message.ClientAddress = address;
        AddParameters(message);
        return message;
    }

    public DhcpMessage Decline(uint xid, IPv4Address address, IPv4Address server, string? reason)
    {
        var message = New(DhcpMessageType.Decline, xid, 0, broadcast: false);
        message.Options.Set(DhcpOptions.RequestedAddress, address);
        message.Options.Set(DhcpOptions.ServerIdentifier, server);
        AddMessage(message, reason);
        return message;
    }

    public DhcpMessage Release(uint xid, IPv4Address address, IPv4Address server, string? reason)
    {
        var message = New(DhcpMessageType.Release, xid, 0, broadcast: false);
        message.ClientAddress = address;
        message.Options.Set(DhcpOptions.ServerIdentifier, server);
        AddMessage(message, reason);
        return message;
    }

    /// <summary>INFORM: the externally configured address in ciaddr; no lease is asked for.</summary>
    public DhcpMessage Inform(uint xid, ushort seconds, IPv4Address address)
    {
        var message = New(DhcpMessageType.Inform, xid, seconds, broadcast: false);
        message.ClientAddress = address;
        AddParameters(message);
        return message;
    }

    private DhcpMessage New(DhcpMessageType type, uint xid, ushort seconds, bool broadcast)
    {
        var message = new DhcpMessage
        {
            Operation = BootOperation.Request,
            HardwareType = options.HardwareType,
            ClientHardwareAddress = options.HardwareAddress,
            TransactionId = xid,
            Seconds = seconds,
            IsBroadcast = broadcast,
        };
        message.MessageType = type;
        if (_clientIdentifier is not null)
        {
            message.Options.SetRaw(DhcpOptionCode.ClientIdentifier, _clientIdentifier);
        }

        return message;
    }

    /// <summary>What a message asking for configuration carries; DECLINE and RELEASE carry none of it.</summary>
    private void AddParameters(DhcpMessage message)
    {
        if (options.ParameterRequestList.Count > 0)
        {
            message.Options.Set(DhcpOptions.ParameterRequestList, options.ParameterRequestList);
        }

        message.Options.Set(DhcpOptions.MaximumMessageSize, options.MaximumMessageSize);
        if (options.HostName is { Length: > 0 } hostName)
        {
            message.Options.Set(DhcpOptions.HostName, hostName);
        }

        if (options.Fqdn is { } fqdn)
        {
            message.Options.Set(DhcpOptions.ClientFqdn, fqdn);
        }

        if (options.VendorClass is { Length: > 0 } vendorClass)
        {
            message.Options.Set(DhcpOptions.VendorClassIdentifier, vendorClass);
        }

        if (options.UserClass is { } userClass)
        {
            message.Options.Set(DhcpOptions.UserClass, userClass);
        }

        foreach (var option in options.AdditionalOptions)
        {
            message.Options.SetRaw(option.Code, option.Value);
        }
    }

    private static void AddMessage(DhcpMessage message, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            message.Options.Set(DhcpOptions.Message, text);
        }
    }
}
