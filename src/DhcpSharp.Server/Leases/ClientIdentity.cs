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
        if (message.Options.TryGetRaw(DhcpOptionCode.ClientIdentifier, out var clientId) && clientId.Length > 0 && !IsHardwareForm(clientId, message.HardwareType, hardware))
        {
            return new ClientIdentity("id:" + Convert.ToHexStringLower(clientId), message.HardwareType, hardware, clientId);
        }

        return new ClientIdentity($"hw:{message.HardwareType}:{Convert.ToHexStringLower(hardware)}", message.HardwareType, hardware, clientId is { Length: > 0 } ? clientId : null);
    }

    /// <summary>
    /// A client identifier that is just htype + chaddr names the same machine as no identifier:
    /// EDK2 sends none and the iPXE it chain-loads sends 01:MAC, and they must share one lease.
    /// </summary>
    private static bool IsHardwareForm(byte[] clientId, byte hardwareType, byte[] hardware) =>
        clientId.Length == hardware.Length + 1 && clientId[0] == hardwareType && clientId.AsSpan(1).SequenceEqual(hardware);

    public override string ToString() => Key.StartsWith("hw:", StringComparison.Ordinal) && HardwareAddress.Length > 0 ? Protocol.HardwareAddress.Format(HardwareAddress) : Key;
}
