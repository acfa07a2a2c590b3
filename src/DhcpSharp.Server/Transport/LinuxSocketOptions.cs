using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Transport;

/// <summary>Linux socket calls .NET has no API for: device binding, forced buffers, ARP entries.</summary>
internal static partial class LinuxSocketOptions
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int SoReceiveBufferForce = 33;
    private const int SoMemInfo = 55;
    private const int MemInfoDrops = 8;
    private const nuint SiocSArp = 0x8955;
    private const int ArpHardwareEther = 1;
    private const int ArpFlagComplete = 0x02;

    /// <summary>SO_BINDTODEVICE: receive only what arrives on this interface, send broadcasts out of it.</summary>
    public static void BindToDevice(Socket socket, string interfaceName)
    {
        byte[] name = Encoding.ASCII.GetBytes(interfaceName + "\0");
        socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
    }

    /// <summary>SO_RCVBUFFORCE (root) past net.core.rmem_max, falling back to SO_RCVBUF: bursts must not overflow the kernel queue.</summary>
    public static void SetReceiveBuffer(Socket socket, int bytes)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoReceiveBufferForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = bytes;
        }
    }

    /// <summary>Datagrams the kernel dropped on this socket (SO_MEMINFO's SK_MEMINFO_DROPS: receive buffer full); 0 where unknown.</summary>
    public static long ReceiveDrops(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            Span<byte> info = stackalloc byte[4 * 16];
            int length = socket.GetRawSocketOption(SolSocket, SoMemInfo, info);
            return length >= 4 * (MemInfoDrops + 1) ? BitConverter.ToUInt32(info.Slice(4 * MemInfoDrops, 4)) : 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Adds a neighbour entry yiaddr → chaddr (SIOCSARP), so a reply can be unicast to a client
    /// that has no address yet and cannot answer ARP. dnsmasq does the same.
    /// </summary>
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
