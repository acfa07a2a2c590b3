using System.Net;

namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

internal static class Ipv4
{
    public static uint ToNumber(string address)
    {
        byte[] bytes = IPAddress.Parse(address).GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    /// <summary>True when <paramref name="address"/> lies in the inclusive range FIRST-LAST.</summary>
    public static bool InRange(string? address, string range)
    {
        if (address is null)
        {
            return false;
        }

        string[] ends = range.Split('-');
        uint value = ToNumber(address);
        return value >= ToNumber(ends[0]) && value <= ToNumber(ends[1]);
    }
}
