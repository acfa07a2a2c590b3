using System.Net.Sockets;
using System.Text;

namespace DhcpSharp.Sockets;

/// <summary>
/// Linux socket options .NET has no API for. One source, compiled into each project that opens
/// sockets (server, boot, client), so the constants and the fallbacks exist once.
/// </summary>
internal static class LinuxSocketOptions
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int SoReceiveBufferForce = 33;
    private const int SoMemInfo = 55;
    private const int MemInfoDrops = 8;

    /// <summary>SO_BINDTODEVICE (needs CAP_NET_RAW): receive only what arrives on this interface, send broadcasts out of it.</summary>
    public static void BindToDevice(Socket socket, string interfaceName) =>
        socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(interfaceName + "\0"));

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
}
