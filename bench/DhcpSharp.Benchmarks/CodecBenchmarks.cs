using BenchmarkDotNet.Attributes;
using DhcpSharp.Protocol;

namespace DhcpSharp.Benchmarks;

/// <summary>The two real packets the benchmarks run on.</summary>
public enum Packet
{
    /// <summary>iPXE PXE DHCPDISCOVER, 400 bytes.</summary>
    Discover,

    /// <summary>Server DHCPACK, 300 bytes.</summary>
    Ack,
}

/// <summary>
/// Receive path (zero-copy view), parse into the owned model, and the two write paths, on a real
/// iPXE DISCOVER and a real DHCPACK.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private byte[] _bytes = [];
    private DhcpMessage _message = null!;
    private readonly byte[] _writeBuffer = new byte[DhcpMessageWriter.PayloadLimit(1500)];

    [Params(Packet.Discover, Packet.Ack)]
    public Packet Packet { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Packet == Packet.Discover ? Packets.IpxeDiscover : Packets.Ack;
        _message = DhcpMessage.Parse(_bytes);
    }

    /// <summary>
    /// What a server does first with every datagram: validate, then pick out the fields it keys
    /// on. Must allocate nothing.
    /// </summary>
    [Benchmark]
    public int ReadPath()
    {
        if (!DhcpPacketReader.TryRead(_bytes, out var reader, out _))
        {
            return -1;
        }

        int sum = (int)reader.TransactionId;
        sum += reader.ClientHardwareAddress[^1];
        sum += (int)reader.MessageType;
        sum += reader.TryGetOption(93, out var arch) ? arch.Length : 0;
        sum += reader.TryGetOption(60, out var vendorClass) ? vendorClass.Length : 0;
        sum += reader.TryGetOption(61, out var clientId) ? clientId.Length : 0;
        sum += reader.TryGetOption(55, out var parameters) ? parameters.Length : 0;
        sum += reader.TryGetOption(50, out var requested) ? requested.Length : 0;
        sum += reader.TryGetOption(54, out var serverId) ? serverId.Length : 0;
        return sum;
    }

    [Benchmark]
    public DhcpMessage ParseOwned() => DhcpMessage.Parse(_bytes);

    [Benchmark]
    public byte[] Write() => _message.ToArray(1500);

    [Benchmark]
    public int WriteToSpan() => DhcpMessageWriter.Write(_message, _writeBuffer, 1500).Length;
}
