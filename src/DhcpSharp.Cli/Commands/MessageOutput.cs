using System.Globalization;
using System.Text;
using System.Text.Json;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Capture;
using DhcpSharp.Protocol.Formatting;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Cli.Commands;

/// <summary>
/// How the commands that show DHCP traffic (decode, watch) print one message: a human dump or
/// one JSON object per line, with the same fields wherever the message came from.
/// </summary>
internal static class MessageOutput
{
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses and prints a datagram's payload; false when it was malformed (and printed as such).</summary>
    public static bool Write(DateTimeOffset time, UdpDatagram datagram, bool json, TextWriter output)
    {
        bool parsed = DhcpMessage.TryParse(datagram.Payload.Span, out var message, out var parseError);
        Write(time, datagram, message, parseError, json, output);
        return parsed;
    }

    /// <summary>Prints an already parsed message (<paramref name="message"/> not null) or the parse error.</summary>
    public static void Write(DateTimeOffset time, UdpDatagram datagram, DhcpMessage? message, DhcpParseError parseError, bool json, TextWriter output)
    {
        string timeText = FormatTime(time);
        string source = $"{datagram.Source}:{datagram.SourcePort}";
        string destination = $"{datagram.Destination}:{datagram.DestinationPort}";
        if (json)
        {
            output.WriteLine(JsonLine(writer =>
            {
                writer.WriteString("time", timeText);
                writer.WriteString("src", source);
                writer.WriteString("dst", destination);
                writer.WriteNumber("length", datagram.Payload.Length);
                if (message is not null)
                {
                    DhcpMessageFormatter.WriteJsonProperties(writer, message);
                }
                else
                {
                    writer.WriteString("error", parseError.Message);
                    writer.WriteString("errorKind", parseError.Kind.ToString());
                    writer.WriteNumber("errorOffset", parseError.Offset);
                    writer.WriteString("hex", Convert.ToHexStringLower(datagram.Payload.Span));
                }
            }));
        }
        else if (message is not null)
        {
            output.Write($"{timeText} {source} -> {destination} ");
            output.Write(DhcpMessageFormatter.Format(message));
            output.WriteLine();
        }
        else
        {
            output.WriteLine($"{timeText} {source} -> {destination} MALFORMED ({datagram.Payload.Length} bytes): {parseError}");
            output.WriteLine();
        }
    }

    /// <summary>
    /// An "options" object keyed by code, each { name, hex, value }: the form decode prints, for
    /// options that are not inside a whole message (a lease's).
    /// </summary>
    public static void WriteOptions(Utf8JsonWriter writer, IEnumerable<DhcpOption> options) =>
        DhcpMessageFormatter.WriteJsonOptions(writer, options);

    /// <summary>One JSON object on one line, its properties written by <paramref name="writeProperties"/>.</summary>
    public static string JsonLine(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
