using System.Globalization;
using System.Text;
using System.Text.Json;
using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Protocol.Formatting;

/// <summary>
/// Human and JSON renderings of a message, every option decoded by name through the option
/// table: the text operators paste into bug reports and the lines scripts consume.
/// </summary>
public static class DhcpMessageFormatter
{
    /// <summary>Multi-line dump; each line after the first is indented by two spaces.</summary>
    public static string Format(DhcpMessage message, DhcpOptionSpace? table = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        table ??= DhcpOptionSpaces.Dhcp4;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(message.Operation == BootOperation.Reply ? "BOOTREPLY" : "BOOTREQUEST")} {message.MessageType.ToWireName()} xid=0x{message.TransactionId:x8} secs={message.Seconds} flags=0x{message.Flags:x4}{(message.IsBroadcast ? " (broadcast)" : "")} hops={message.Hops}\n");
        text.Append(CultureInfo.InvariantCulture, $"  htype={message.HardwareType} hlen={message.HardwareAddressLength} chaddr={HardwareAddress.Format(message.ClientHardwareAddress)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  ciaddr={message.ClientAddress} yiaddr={message.YourAddress} siaddr={message.ServerAddress} giaddr={message.GatewayAddress}\n");
        text.Append(CultureInfo.InvariantCulture, $"  sname={JsonSerializer.Serialize(message.ServerName)} file={JsonSerializer.Serialize(message.BootFileName)}\n");
        foreach (var option in message.Options)
        {
            var definition = table[option.Code];
            string name = definition?.ConfigKey ?? "unknown";
            string value;
            if (definition is null)
            {
                value = option.Value.Length == 0 ? "(empty)" : Convert.ToHexStringLower(option.Value);
            }
            else if (definition.TryFormat(option.Value, out var formatted, out var error))
            {
                value = formatted;
            }
            else
            {
                value = $"{Convert.ToHexStringLower(option.Value)} (malformed: {error})";
            }

            text.Append(CultureInfo.InvariantCulture, $"  option {option.Code,3} {name,-24} len={option.Value.Length,-3} {value}\n");
        }

        return text.ToString();
    }

    /// <summary>Writes the message fields and options as properties of the current JSON object.</summary>
    public static void WriteJsonProperties(Utf8JsonWriter writer, DhcpMessage message, DhcpOptionSpace? table = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        table ??= DhcpOptionSpaces.Dhcp4;
        writer.WriteString("op", message.Operation == BootOperation.Reply ? "BOOTREPLY" : "BOOTREQUEST");
        writer.WriteString("xid", $"0x{message.TransactionId:x8}");
        writer.WriteString("messageType", message.MessageType.ToWireName());
        writer.WriteNumber("htype", message.HardwareType);
        writer.WriteNumber("hlen", message.HardwareAddressLength);
        writer.WriteNumber("hops", message.Hops);
        writer.WriteNumber("secs", message.Seconds);
        writer.WriteString("flags", $"0x{message.Flags:x4}");
        writer.WriteString("chaddr", HardwareAddress.Format(message.ClientHardwareAddress));
        writer.WriteString("ciaddr", message.ClientAddress.ToString());
        writer.WriteString("yiaddr", message.YourAddress.ToString());
        writer.WriteString("siaddr", message.ServerAddress.ToString());
        writer.WriteString("giaddr", message.GatewayAddress.ToString());
        writer.WriteString("sname", message.ServerName);
        writer.WriteString("file", message.BootFileName);
        WriteJsonOptions(writer, message.Options, table);
    }

    /// <summary>
    /// An "options" property: an object keyed by decimal code, each { name, hex, value } (plus
    /// "error" when the bytes do not fit the option's kind). Also used for a lease's options.
    /// </summary>
    public static void WriteJsonOptions(Utf8JsonWriter writer, IEnumerable<DhcpOption> options, DhcpOptionSpace? table = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        table ??= DhcpOptionSpaces.Dhcp4;
        writer.WriteStartObject("options");
        foreach (var option in options)
        {
            var definition = table[option.Code];
            writer.WriteStartObject(option.Code.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("name", definition?.ConfigKey ?? "unknown");
            writer.WriteString("hex", Convert.ToHexStringLower(option.Value));
            writer.WritePropertyName("value");
            if (definition is null)
            {
                writer.WriteNullValue();
            }
            else if (!definition.TryWriteJson(writer, option.Value, out var error))
            {
                writer.WriteNullValue();
                writer.WriteString("error", error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
