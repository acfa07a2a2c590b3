using CsCheck;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Formatting;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Protocol.Tests;

/// <summary>
/// Generated messages survive write → parse → write byte-identically, and no byte string makes
/// the parser, the option table or the dump throw. Iteration counts add up to well over 100k.
/// </summary>
public class PropertyTests
{
    private static readonly byte[][] RealPackets = CaptureFiles.AllDhcpPayloads().ToArray();

    private static readonly Gen<byte[]> OptionValue = Gen.Byte.Array[0, 300];

    private static readonly Gen<DhcpMessage> Message =
        Gen.Select(
            Gen.Select(Gen.Byte[1, 2], Gen.Byte, Gen.Byte[0, 16], Gen.Byte, Gen.UInt, Gen.UShort, Gen.UShort),
            Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt),
            Gen.Byte.Array[16],
            Gen.Select(Gen.String[Gen.Char['a', 'z'], 0, 63], Gen.String[Gen.Char['a', 'z'], 0, 127]),
            Gen.Select(Gen.Byte[1, 254], OptionValue).Array[0, 12],
            (header, addresses, chaddr, names, options) =>
            {
                var message = new DhcpMessage
                {
                    Operation = (BootOperation)header.Item1,
                    HardwareType = header.Item2,
                    HardwareAddressLength = header.Item3,
                    Hops = header.Item4,
                    TransactionId = header.Item5,
                    Seconds = header.Item6,
                    Flags = header.Item7,
                    ClientAddress = new IPv4Address(addresses.Item1),
                    YourAddress = new IPv4Address(addresses.Item2),
                    ServerAddress = new IPv4Address(addresses.Item3),
                    GatewayAddress = new IPv4Address(addresses.Item4),
                    ServerName = names.Item1,
                    BootFileName = names.Item2,
                };
                chaddr.CopyTo(message.ClientHardwareAddressField);
                foreach (var (code, value) in options)
                {
                    message.Options.SetRaw(code, value);
                }

                return message;
            });

    private static readonly Gen<int> MaximumSize = Gen.OneOf(Gen.Const(576), Gen.Const(1500), Gen.Int[576, 4000]);

    [Fact]
    public void Generated_messages_round_trip_byte_identically()
    {
        Gen.Select(Message, MaximumSize).Sample((message, maximumSize) =>
        {
            var first = message.ToArray(maximumSize);
            Assert.True(first.Length <= DhcpMessageWriter.PayloadLimit(maximumSize));
            var parsed = DhcpMessage.Parse(first);
            var second = parsed.ToArray(maximumSize);
            Assert.Equal(first, second);
        }, iter: 20_000);
    }

    [Fact]
    public void Options_that_fit_keep_their_values()
    {
        Message.Sample(message =>
        {
            var buffer = new byte[DhcpMessageWriter.MaximumPayload];
            var result = DhcpMessageWriter.Write(message, buffer, 1500);
            var parsed = DhcpMessage.Parse(buffer.AsSpan(0, result.Length));
            foreach (var option in message.Options)
            {
                if (option.Code == DhcpOptionCode.Overload || result.OmittedOptions.Contains(option.Code))
                {
                    continue;
                }

                Assert.Equal(option.Value, parsed.Options.GetRaw(option.Code));
            }
        }, iter: 10_000);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 700].Sample(bytes => ParseEverything(bytes), iter: 50_000);
    }

    [Fact]
    public void Random_option_areas_after_a_valid_header_never_throw()
    {
        // Most random byte strings fail the cookie check; this drives the option walker itself.
        Gen.Byte.Array[0, 400].Sample(options => ParseEverything(TestPackets.Build(options)), iter: 50_000);
    }

    [Fact]
    public void Mutated_real_packets_never_throw()
    {
        Assert.NotEmpty(RealPackets);
        Gen.Select(Gen.Int[0, RealPackets.Length - 1], Gen.Select(Gen.Int[0, 2000], Gen.Byte).Array[1, 8], Gen.Int[0, 700])
            .Sample((index, edits, cut) =>
            {
                var bytes = RealPackets[index].ToArray();
                foreach (var (position, value) in edits)
                {
                    if (bytes.Length > 0)
                    {
                        bytes[position % bytes.Length] = value;
                    }
                }

                ParseEverything(bytes.AsSpan(0, Math.Min(cut, bytes.Length)).ToArray());
                ParseEverything(bytes);
            }, iter: 30_000);
    }

    /// <summary>Everything a server or the decoder does with untrusted bytes; only typed failures allowed.</summary>
    internal static void ParseEverything(byte[] bytes)
    {
        if (!DhcpPacketReader.TryRead(bytes, out var reader, out var error))
        {
            Assert.NotEqual(DhcpParseErrorKind.None, error.Kind);
            Assert.InRange(error.Offset, 0, Math.Max(bytes.Length, DhcpHeaderLayout.MinimumLength));
            Assert.False(DhcpMessage.TryParse(bytes, out _, out _));
            return;
        }

        _ = reader.MessageType;
        foreach (var option in reader.GetRawOptions())
        {
            _ = reader.TryGetOption(option.Code, out _);
        }

        Assert.True(DhcpMessage.TryParse(bytes, out var message, out _));
        foreach (var option in message.Options)
        {
            var definition = DhcpOptionSpaces.Dhcp4[option.Code];
            if (definition is not null)
            {
                _ = definition.TryFormat(option.Value, out _, out _);
            }
        }

        _ = DhcpMessageFormatter.Format(message);
        var written = message.ToArray(1500);
        Assert.Equal(written, DhcpMessage.Parse(written).ToArray(1500));
    }
}
