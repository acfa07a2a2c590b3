namespace DhcpSharp.Protocol;

/// <summary>Option codes the codec itself needs to know; every other code lives in the option table.</summary>
public static class DhcpOptionCode
{
    public const byte Pad = 0;
    public const byte VendorSpecific = 43;
    public const byte RequestedAddress = 50;
    public const byte LeaseTime = 51;
    public const byte Overload = 52;
    public const byte MessageType = 53;
    public const byte ServerIdentifier = 54;
    public const byte ParameterRequestList = 55;
    public const byte MaximumMessageSize = 57;
    public const byte VendorClassIdentifier = 60;
    public const byte ClientIdentifier = 61;
    public const byte RelayAgentInformation = 82;
    public const byte End = 255;
}

/// <summary>Option 52 values: which header fields carry options (RFC 2132 §9.3).</summary>
[Flags]
public enum OptionOverload : byte
{
    None = 0,
    File = 1,
    ServerName = 2,
    Both = File | ServerName,
}
