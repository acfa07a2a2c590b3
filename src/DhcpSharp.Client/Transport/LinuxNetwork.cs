using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace DhcpSharp.Client.Transport;

/// <summary>Facts about a network interface that the client and the listener need, by name.</summary>
public static class NetworkInterfaceInfo
{
    /// <summary>The interface's MAC (what <see cref="DhcpClientOptions.HardwareAddress"/> normally is).</summary>
    public static byte[] GetHardwareAddress(string interfaceName)
    {
        var bytes = Find(interfaceName).GetPhysicalAddress().GetAddressBytes();
        return bytes.Length > 0 ? bytes : throw new InvalidOperationException($"interface \"{interfaceName}\" has no hardware address");
    }

    /// <summary>The kernel's interface index (for AF_PACKET binding).</summary>
    public static int GetIndex(string interfaceName)
    {
        // /sys answers for interfaces without any IPv4 configuration, where GetIPv4Properties may not.
        string path = $"/sys/class/net/{interfaceName}/ifindex";
        if (OperatingSystem.IsLinux() && !interfaceName.Contains('/', StringComparison.Ordinal) && File.Exists(path))
        {
            return int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
        }

        return Find(interfaceName).GetIPProperties().GetIPv4Properties()?.Index
            ?? throw new InvalidOperationException($"interface \"{interfaceName}\" has no interface index");
    }

    /// <summary>Whether the operating system has any IPv4 address on the interface.</summary>
    public static bool HasIPv4Address(string interfaceName) =>
        Find(interfaceName).GetIPProperties().UnicastAddresses.Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork);

    public static NetworkInterface Find(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interfaceName);
        var all = NetworkInterface.GetAllNetworkInterfaces();
        return all.FirstOrDefault(n => n.Name == interfaceName)
            ?? throw new InvalidOperationException($"interface \"{interfaceName}\" does not exist (have: {string.Join(", ", all.Select(n => n.Name))})");
    }
}

/// <summary>Linux socket options .NET has no API for.</summary>
internal static class LinuxSockets
{
    private const int SolSocket = 1;
    private const int SoAttachFilter = 26;

    /// <summary>ETH_P_ALL: every protocol, both directions (an ETH_P_IP socket would miss outgoing frames).</summary>
    public const ushort EtherTypeAll = 0x0003;

    /// <summary>An AF_PACKET/SOCK_RAW socket bound to one interface: whole Ethernet frames, including those not addressed to this host.</summary>
    public static Socket OpenPacketSocket(int interfaceIndex, ushort etherType)
    {
        var socket = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)BinaryPrimitives.ReverseEndianness(etherType));
        try
        {
            socket.Bind(new PacketEndPoint(interfaceIndex, etherType));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SO_ATTACH_FILTER with a classic BPF program, so the kernel hands over only the wanted
    /// frames instead of every packet on a busy interface.
    /// </summary>
    public static void AttachFilter(Socket socket, ReadOnlySpan<BpfInstruction> program)
    {
        var instructions = new byte[program.Length * 8];
        for (int i = 0; i < program.Length; i++)
        {
            program[i].Write(instructions.AsSpan(i * 8));
        }

        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }: the kernel copies the program during the call.
        var handle = GCHandle.Alloc(instructions, GCHandleType.Pinned);
        try
        {
            var fprog = new byte[2 * IntPtr.Size];
            BitConverter.TryWriteBytes(fprog.AsSpan(0, 2), (ushort)program.Length);
            if (IntPtr.Size == 8)
            {
                BitConverter.TryWriteBytes(fprog.AsSpan(8), (long)handle.AddrOfPinnedObject());
            }
            else
            {
                BitConverter.TryWriteBytes(fprog.AsSpan(4), (int)handle.AddrOfPinnedObject());
            }

            socket.SetRawSocketOption(SolSocket, SoAttachFilter, fprog);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// BPF: IPv4, UDP, not a later fragment, source or destination port in <paramref name="ports"/>.
    /// Frames are Ethernet (14-byte header) as an AF_PACKET/SOCK_RAW socket sees them.
    /// </summary>
    public static BpfInstruction[] UdpPortFilter(IReadOnlyCollection<ushort> ports)
    {
        const ushort LoadHalf = 0x28, LoadByte = 0x30, LoadHalfIndexed = 0x48, LoadIpHeaderLength = 0xb1;
        const ushort JumpEqual = 0x15, JumpSet = 0x45, Return = 0x06;
        // Layout: 0 ldh type, 1 jeq IPv4, 2 ldb proto, 3 jeq UDP, 4 ldh frag, 5 jset, 6 ldxb ihl,
        // then per direction an ldh of the port and one jeq per port; then drop; then accept.
        // Jump offsets count from the next instruction.
        const int FirstPortCheck = 7;
        int drop = FirstPortCheck + (2 * (1 + ports.Count));
        int accept = drop + 1;
        var program = new List<BpfInstruction>();
        program.Add(new(LoadHalf, 0, 0, 12));
        program.Add(new(JumpEqual, 0, (byte)(drop - 2), 0x0800));
        program.Add(new(LoadByte, 0, 0, 23));
        program.Add(new(JumpEqual, 0, (byte)(drop - 4), 17));
        program.Add(new(LoadHalf, 0, 0, 20));
        program.Add(new(JumpSet, (byte)(drop - 6), 0, 0x1fff));
        program.Add(new(LoadIpHeaderLength, 0, 0, 14));
        foreach (uint portOffset in new uint[] { 14, 16 })
        {
            program.Add(new(LoadHalfIndexed, 0, 0, portOffset));
            foreach (var port in ports)
            {
                int here = program.Count;
                program.Add(new(JumpEqual, (byte)(accept - here - 1), 0, port));
            }
        }

        program.Add(new(Return, 0, 0, 0));
        program.Add(new(Return, 0, 0, 0x40000));
        return [.. program];
    }

    /// <summary>sockaddr_ll: family, protocol (network order), interface index; the rest zero.</summary>
    private sealed class PacketEndPoint(int interfaceIndex, ushort etherType) : EndPoint
    {
        private const int Size = 20;

        public override AddressFamily AddressFamily => AddressFamily.Packet;

        public override SocketAddress Serialize()
        {
            var address = new SocketAddress(AddressFamily.Packet, Size);
            address[2] = (byte)(etherType >> 8);
            address[3] = (byte)etherType;
            Span<byte> index = stackalloc byte[4];
            BitConverter.TryWriteBytes(index, interfaceIndex);
            for (int i = 0; i < 4; i++)
            {
                address[4 + i] = index[i];
            }

            return address;
        }

        public override EndPoint Create(SocketAddress socketAddress) => this;
    }
}

/// <summary>One classic BPF instruction (struct sock_filter).</summary>
internal readonly record struct BpfInstruction(ushort Code, byte JumpTrue, byte JumpFalse, uint Constant)
{
    public void Write(Span<byte> destination)
    {
        BitConverter.TryWriteBytes(destination, Code);
        destination[2] = JumpTrue;
        destination[3] = JumpFalse;
        BitConverter.TryWriteBytes(destination[4..], Constant);
    }
}
