using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Formatting;
using DhcpSharp.Protocol.Options;
using SharpFuzz;

namespace DhcpSharp.Fuzz;

/// <summary>
/// SharpFuzz/AFL++ harness for the protocol codec.
///   dotnet DhcpSharp.Fuzz.dll                 run under afl-fuzz (persistent, in-process)
///   dotnet DhcpSharp.Fuzz.dll FILE|DIR ...    replay inputs without AFL (triage, corpus smoke test)
/// Any exception escaping <see cref="FuzzTarget.Run"/> is a finding.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            var buffer = new MemoryStream();
            Fuzzer.Run(stream =>
            {
                buffer.SetLength(0);
                stream.CopyTo(buffer);
                FuzzTarget.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            });
            return 0;
        }

        return Replay(args);
    }

    private static int Replay(string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
        int failures = 0;
        foreach (var file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            try
            {
                var outcome = FuzzTarget.Run(input);
                Console.WriteLine($"ok    {file} ({input.Length} B): {outcome}");
            }
            catch (Exception exception)
            {
                failures++;
                Console.WriteLine($"FAIL  {file} ({input.Length} B)");
                Console.WriteLine($"      input hex: {Convert.ToHexStringLower(input)}");
                Console.WriteLine($"      {exception.ToString().Replace("\n", "\n      ", StringComparison.Ordinal)}");
            }
        }

        Console.WriteLine($"{files.Count} input(s), {failures} failure(s)");
        return failures == 0 ? 0 : 1;
    }
}

/// <summary>The checks run on every input.</summary>
internal static class FuzzTarget
{
    private static readonly int[] MaximumSizes = [576, 1500];
    private static readonly DhcpOptionSpace[] SubSpaces = [DhcpOptionSpaces.Pxe, DhcpOptionSpaces.RelayAgent, DhcpOptionSpaces.Ipxe];
    private static readonly byte[] WriteBuffer = new byte[DhcpMessageWriter.MaximumPayload];

    public static string Run(ReadOnlySpan<byte> input)
    {
        // 1. The allocation-free view: validate, then walk every TLV (header accessors too).
        bool readOk = DhcpPacketReader.TryRead(input, out var reader, out var readError);
        int rawCount = 0;
        if (readOk)
        {
            _ = reader.Operation;
            _ = reader.TransactionId;
            _ = reader.ClientHardwareAddress;
            _ = reader.ServerName;
            _ = reader.BootFile;
            _ = reader.ClientAddress;
            _ = reader.YourAddress;
            _ = reader.ServerAddress;
            _ = reader.GatewayAddress;
            foreach (var option in reader.GetRawOptions())
            {
                rawCount++;
                Check(option.Code is not (0 or 255), "GetRawOptions yielded Pad or End");
                Check(option.Offset >= 0 && option.Offset + 2 + option.Value.Length <= input.Length, "raw option outside the packet");
                Check(reader.TryGetOption(option.Code, out var joined) && joined.Length >= option.Value.Length, "TryGetOption misses an option GetRawOptions yields");
            }
        }
        else
        {
            Check(readError.Kind != DhcpParseErrorKind.None, "TryRead failed with error kind None");
            ExpectParseException(input, reader: true);
        }

        // 2. The owned model. TryParse must agree with TryRead and never throw.
        bool parseOk = DhcpMessage.TryParse(input, out var message, out var parseError);
        Check(parseOk == readOk, $"TryRead={readOk} but TryParse={parseOk}");
        if (!parseOk)
        {
            Check(parseError == readError, "TryParse and TryRead report different errors");
            ExpectParseException(input, reader: false);
            return $"rejected: {parseError.Kind}";
        }

        // 3. Every option through its table row (and the sub-option spaces), then the whole dump.
        foreach (var option in message!.Options)
        {
            _ = DhcpOptionSpaces.Dhcp4[option.Code]?.TryFormat(option.Value, out _, out _);
            foreach (var space in SubSpaces)
            {
                _ = space[option.Code]?.TryFormat(option.Value, out _, out _);
            }
        }

        string text = DhcpMessageFormatter.Format(message);
        Check(text.Length > 0, "empty Format output");
        using (var json = new Utf8JsonWriter(Stream.Null))
        {
            json.WriteStartObject();
            DhcpMessageFormatter.WriteJsonProperties(json, message);
            json.WriteEndObject();
        }

        // 4. Write / re-parse / re-write at several receiver sizes.
        foreach (int max in MaximumSizes)
        {
            RoundTrip(message, max);
        }

        return $"parsed {message.MessageType} with {message.Options.Count} option(s) from {rawCount} TLV(s)";
    }

    private static void RoundTrip(DhcpMessage message, int max)
    {
        byte[] first = message.ToArray(max);
        int limit = DhcpMessageWriter.PayloadLimit(max);
        Check(first.Length >= 300 && first.Length <= limit, $"[{max}] ToArray length {first.Length} outside 300..{limit}");

        var result = DhcpMessageWriter.Write(message, WriteBuffer, max);
        Check(WriteBuffer.AsSpan(0, result.Length).SequenceEqual(first), $"[{max}] Write into a span differs from ToArray");

        Check(DhcpMessage.TryParse(first, out var reparsed, out var error), $"[{max}] our own output does not parse: {error}");
        byte[] second = reparsed!.ToArray(max);
        Check(second.AsSpan().SequenceEqual(first),
            $"[{max}] re-write differs: first {Convert.ToHexStringLower(first)} second {Convert.ToHexStringLower(second)}");

        // Header fields survive.
        Check(reparsed.Operation == message.Operation && reparsed.HardwareType == message.HardwareType &&
              reparsed.HardwareAddressLength == message.HardwareAddressLength && reparsed.Hops == message.Hops &&
              reparsed.TransactionId == message.TransactionId && reparsed.Seconds == message.Seconds &&
              reparsed.Flags == message.Flags && reparsed.ClientAddress == message.ClientAddress &&
              reparsed.YourAddress == message.YourAddress && reparsed.ServerAddress == message.ServerAddress &&
              reparsed.GatewayAddress == message.GatewayAddress &&
              reparsed.ClientHardwareAddressField.SequenceEqual(message.ClientHardwareAddressField),
            $"[{max}] header fields changed in the round trip");

        // Every option the writer did not report as omitted comes back with the same value
        // (option 52 is the writer's own business and is dropped/re-decided by it).
        foreach (var option in message.Options)
        {
            if (option.Code == DhcpOptionCode.Overload || result.OmittedOptions.Contains(option.Code))
            {
                Check(option.Code == DhcpOptionCode.Overload || !reparsed.Options.Contains(option.Code),
                    $"[{max}] option {option.Code} reported omitted but present");
                continue;
            }

            Check(reparsed.Options.TryGetRaw(option.Code, out var value) && value.AsSpan().SequenceEqual(option.Value),
                $"[{max}] option {option.Code} lost or changed in the round trip");
        }

        foreach (var option in reparsed.Options)
        {
            Check(option.Code == DhcpOptionCode.Overload || message.Options.Contains(option.Code),
                $"[{max}] option {option.Code} appeared from nowhere");
        }
    }

    private static void ExpectParseException(ReadOnlySpan<byte> input, bool reader)
    {
        try
        {
            if (reader)
            {
                _ = DhcpPacketReader.Read(input);
            }
            else
            {
                _ = DhcpMessage.Parse(input);
            }
        }
        catch (DhcpParseException)
        {
            return;
        }

        throw new FuzzCheckException($"{(reader ? "DhcpPacketReader.Read" : "DhcpMessage.Parse")} accepted input its Try form rejected");
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzCheckException(what);
        }
    }
}

/// <summary>An invariant the harness checks was violated (distinct from exceptions out of the library).</summary>
internal sealed class FuzzCheckException(string message) : Exception(message);
