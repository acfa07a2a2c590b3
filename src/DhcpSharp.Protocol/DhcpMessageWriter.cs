namespace DhcpSharp.Protocol;

/// <summary>What a write produced: the length, and options left out because they did not fit.</summary>
public readonly record struct DhcpWriteResult(int Length, IReadOnlyList<byte> OmittedOptions);

/// <summary>
/// Serialises a <see cref="DhcpMessage"/>. Rules: option 53 first and 82 last; values over 255
/// bytes split into consecutive parts (RFC 3396); the message never exceeds the receiver's
/// maximum size (option 57 semantics: a whole IP datagram, so 28 bytes of IP/UDP header come
/// off); options move into file/sname (option 52) only when they would not fit otherwise and
/// those fields are empty; the result is padded to 300 bytes (RFC 1542).
/// </summary>
public static class DhcpMessageWriter
{
    /// <summary>RFC 2131 §2: every DHCP client accepts a 576-byte datagram.</summary>
    public const int DefaultMaximumMessageSize = 576;

    /// <summary>Largest UDP payload a write ever needs (options field of an unfragmented 64 KiB datagram).</summary>
    public const int MaximumPayload = ushort.MaxValue - DhcpHeaderLayout.IpUdpOverhead;

    public static byte[] ToArray(DhcpMessage message, int maximumMessageSize = DefaultMaximumMessageSize)
    {
        var buffer = new byte[PayloadLimit(maximumMessageSize)];
        var result = Write(message, buffer, maximumMessageSize);
        return buffer.AsSpan(0, result.Length).ToArray();
    }

    /// <summary>The UDP payload limit for a receiver's option 57 value (never under the 576-byte floor).</summary>
    public static int PayloadLimit(int maximumMessageSize) =>
        Math.Clamp(maximumMessageSize, DefaultMaximumMessageSize, ushort.MaxValue) - DhcpHeaderLayout.IpUdpOverhead;

    public static DhcpWriteResult Write(DhcpMessage message, Span<byte> destination, int maximumMessageSize = DefaultMaximumMessageSize)
    {
        ArgumentNullException.ThrowIfNull(message);
        int limit = Math.Min(PayloadLimit(maximumMessageSize), destination.Length);
        if (limit < DhcpHeaderLayout.MinimumBootpLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; at least {DhcpHeaderLayout.MinimumBootpLength} are needed.", nameof(destination));
        }

        DhcpMessage.WriteHeader(message, destination);
        var ordered = OrderForWire(message.Options);
        int total = 1; // End
        foreach (var option in ordered)
        {
            total += EncodedSize(option.Value.Length);
        }

        int end;
        List<byte>? omitted = null;
        if (DhcpHeaderLayout.Options + total <= limit)
        {
            int position = DhcpHeaderLayout.Options;
            foreach (var option in ordered)
            {
                position = WriteOption(destination, position, option);
            }

            destination[position++] = DhcpOptionCode.End;
            end = position;
        }
        else
        {
            end = WriteOverloaded(message, ordered, destination, limit, ref omitted);
        }

        int length = Math.Max(end, DhcpHeaderLayout.MinimumBootpLength);
        destination[end..length].Clear();
        return new DhcpWriteResult(length, (IReadOnlyList<byte>?)omitted ?? []);
    }

    /// <summary>Size on the wire of a value of <paramref name="length"/> bytes, split into 255-byte parts.</summary>
    public static int EncodedSize(int length) => length == 0 ? 2 : length + (2 * ((length + 254) / 255));

    private static List<DhcpOption> OrderForWire(DhcpOptionCollection options)
    {
        var ordered = new List<DhcpOption>(options.Count);
        DhcpOption? relayAgent = null;
        foreach (var option in options)
        {
            switch (option.Code)
            {
                case DhcpOptionCode.MessageType:
                    ordered.Insert(0, option);
                    break;
                case DhcpOptionCode.RelayAgentInformation:
                    relayAgent = option;
                    break;
                case DhcpOptionCode.Overload or DhcpOptionCode.Pad or DhcpOptionCode.End:
                    break; // the writer decides overload itself
                default:
                    ordered.Add(option);
                    break;
            }
        }

        if (relayAgent is { } agent)
        {
            ordered.Add(agent);
        }

        return ordered;
    }

    private static int WriteOption(Span<byte> destination, int position, DhcpOption option)
    {
        ReadOnlySpan<byte> value = option.Value;
        do
        {
            int part = Math.Min(value.Length, 255);
            destination[position] = option.Code;
            destination[position + 1] = (byte)part;
            value[..part].CopyTo(destination[(position + 2)..]);
            position += 2 + part;
            value = value[part..];
        }
        while (!value.IsEmpty);
        return position;
    }

    /// <summary>
    /// First fit over options field → file → sname, in wire order. 53 stays first, 52 follows it,
    /// and room for 82 is kept at the end of the options field. What fits nowhere is reported.
    /// </summary>
    private static int WriteOverloaded(DhcpMessage message, List<DhcpOption> ordered, Span<byte> destination, int limit, ref List<byte>? omitted)
    {
        bool fileFree = !message.BootFileField.ContainsAnyExcept((byte)0);
        bool snameFree = !message.ServerNameField.ContainsAnyExcept((byte)0);
        const int OverloadSize = 3;

        DhcpOption? relayAgent = null;
        int count = ordered.Count;
        if (count > 0 && ordered[^1].Code == DhcpOptionCode.RelayAgentInformation)
        {
            relayAgent = ordered[^1];
            count--;
        }

        // Options field budget: everything before End, with 52 assumed present.
        int mainCapacity = limit - DhcpHeaderLayout.Options - 1 - (fileFree || snameFree ? OverloadSize : 0);
        if (relayAgent is { } agent)
        {
            int agentSize = EncodedSize(agent.Value.Length);
            int messageTypeSize = count > 0 && ordered[0].Code == DhcpOptionCode.MessageType ? EncodedSize(ordered[0].Value.Length) : 0;
            if (agentSize + messageTypeSize <= mainCapacity)
            {
                mainCapacity -= agentSize;
            }
            else
            {
                (omitted ??= []).Add(agent.Code);
                relayAgent = null;
            }
        }

        var regions = new OptionRegion?[count];
        int mainUsed = 0;
        int fileUsed = 0;
        int snameUsed = 0;
        for (int i = 0; i < count; i++)
        {
            int size = EncodedSize(ordered[i].Value.Length);
            if (mainUsed + size <= mainCapacity)
            {
                regions[i] = OptionRegion.Options;
                mainUsed += size;
            }
            else if (fileFree && fileUsed + size <= DhcpHeaderLayout.BootFileSize - 1)
            {
                regions[i] = OptionRegion.File;
                fileUsed += size;
            }
            else if (snameFree && snameUsed + size <= DhcpHeaderLayout.ServerNameSize - 1)
            {
                regions[i] = OptionRegion.ServerName;
                snameUsed += size;
            }
            else
            {
                (omitted ??= []).Add(ordered[i].Code);
            }
        }

        // Once omissions are taken out, what is left may fit the options field after all. Writing
        // it there keeps the output stable: re-writing a parsed copy must give the same bytes.
        int agentBytes = relayAgent is { } kept ? EncodedSize(kept.Value.Length) : 0;
        if (fileUsed + snameUsed > 0 && mainUsed + fileUsed + snameUsed + agentBytes + 1 <= limit - DhcpHeaderLayout.Options)
        {
            for (int i = 0; i < count; i++)
            {
                regions[i] = regions[i] is null ? null : OptionRegion.Options;
            }

            fileUsed = snameUsed = 0;
        }

        var overload = (fileUsed > 0 ? OptionOverload.File : 0) | (snameUsed > 0 ? OptionOverload.ServerName : 0);
        int main = DhcpHeaderLayout.Options;
        int file = DhcpHeaderLayout.BootFile;
        int sname = DhcpHeaderLayout.ServerName;
        bool overloadWritten = overload == 0;
        for (int i = 0; i < count; i++)
        {
            if (!overloadWritten && ordered[i].Code != DhcpOptionCode.MessageType)
            {
                main = WriteOption(destination, main, new DhcpOption(DhcpOptionCode.Overload, [(byte)overload]));
                overloadWritten = true;
            }

            switch (regions[i])
            {
                case OptionRegion.Options:
                    main = WriteOption(destination, main, ordered[i]);
                    break;
                case OptionRegion.File:
                    file = WriteOption(destination, file, ordered[i]);
                    break;
                case OptionRegion.ServerName:
                    sname = WriteOption(destination, sname, ordered[i]);
                    break;
            }
        }

        if (!overloadWritten)
        {
            main = WriteOption(destination, main, new DhcpOption(DhcpOptionCode.Overload, [(byte)overload]));
        }

        if (relayAgent is { } relay)
        {
            main = WriteOption(destination, main, relay);
        }

        destination[main++] = DhcpOptionCode.End;
        if (fileUsed > 0)
        {
            destination[file] = DhcpOptionCode.End;
        }

        if (snameUsed > 0)
        {
            destination[sname] = DhcpOptionCode.End;
        }

        return main;
    }
}
