using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// Who a client is: option 61 when sent (RFC 2131 §4.2), else hardware type + chaddr. The key
/// is the string leases are indexed by.
/// </summary>
public sealed record ClientIdentity(string Key, byte HardwareType, byte[] HardwareAddress, byte[]? ClientIdentifier)
{
    public static ClientIdentity FromMessage(DhcpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[] hardware = message.ClientHardwareAddress.ToArray();
        if (message.Options.TryGetRaw(DhcpOptionCode.ClientIdentifier, out var clientId) && clientId.Length > 0)
        {
            return new ClientIdentity("id:" + Convert.ToHexStringLower(clientId), message.HardwareType, hardware, clientId);
        }

        return new ClientIdentity($"hw:{message.HardwareType}:{Convert.ToHexStringLower(hardware)}", message.HardwareType, hardware, null);
    }

    public override string ToString() => ClientIdentifier is null ? HardwareAddress.Length == 0 ? Key : Protocol.HardwareAddress.Format(HardwareAddress) : Key;
}
