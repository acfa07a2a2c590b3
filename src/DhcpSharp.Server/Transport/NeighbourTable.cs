using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Transport;

/// <summary>
/// Adds neighbour (ARP) entries yiaddr → chaddr with SIOCSARP, so a reply can be unicast to a
/// client that has no address yet and cannot answer ARP. dnsmasq does the same. Needs CAP_NET_ADMIN.
/// </summary>
internal static partial class NeighbourTable
{
    private const nuint SiocSArp = 0x8955;
    private const int ArpHardwareEther = 1;
    private const int ArpFlagComplete = 0x02;

    public static bool TrySetArpEntry(Socket socket, string interfaceName, IPv4Address address, ReadOnlySpan<byte> hardwareAddress)
    {
        if (!OperatingSystem.IsLinux() || hardwareAddress.Length != 6)
        {
            return false;
        }

        // struct arpreq { sockaddr arp_pa; sockaddr arp_ha; int arp_flags; sockaddr arp_netmask; char arp_dev[16]; }
        Span<byte> request = stackalloc byte[68];
        request.Clear();
        BitConverter.TryWriteBytes(request[0..2], (ushort)AddressFamily.InterNetwork);
        address.Write(request[4..8]);
        BitConverter.TryWriteBytes(request[16..18], (ushort)ArpHardwareEther);
        hardwareAddress.CopyTo(request[18..24]);
        BitConverter.TryWriteBytes(request[32..36], ArpFlagComplete);
        Encoding.ASCII.GetBytes(interfaceName.AsSpan(0, Math.Min(interfaceName.Length, 15)), request[52..]);
        unsafe
        {
            fixed (byte* pointer = request)
            {
                return Ioctl((int)socket.Handle, SiocSArp, pointer) == 0;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static unsafe partial int Ioctl(int fd, nuint request, byte* argument);
}
