using DhcpSharp.Protocol.Options;

namespace DhcpSharp.Protocol.Pxe;

/// <summary>
/// Typed option 43 for vendor class "PXEClient" (PXE 2.1 §2.4.3): build it for a reply, or read
/// the boot item (71) a client sends to port 4011.
/// </summary>
public sealed class PxeVendorOptions
{
    public PxeDiscoveryControl? DiscoveryControl { get; set; }

    public IPv4Address? MulticastDiscoveryAddress { get; set; }

    public IReadOnlyList<PxeBootServer> BootServers { get; set; } = [];

    public IReadOnlyList<PxeMenuItem> BootMenu { get; set; } = [];

    public PxeMenuPrompt? MenuPrompt { get; set; }

    public PxeBootItem? BootItem { get; set; }

    /// <summary>Sub-options this type does not model (MTFTP 1–5, 11, 12, vendor ones), kept as they are.</summary>
    public IReadOnlyList<SubOption> Other { get; set; } = [];

    public static bool TryDecode(ReadOnlySpan<byte> data, out PxeVendorOptions? options, out string? error)
    {
        options = null;
        if (!OptionCodecs.TryReadSubOptions(data, padAndEnd: true, out var list, out error))
        {
            return false;
        }

        var result = new PxeVendorOptions();
        var other = new List<SubOption>();
        foreach (var sub in list)
        {
            bool ok = sub.Code switch
            {
                6 when sub.Data.Length == 1 => Set(() => result.DiscoveryControl = (PxeDiscoveryControl)sub.Data[0]),
                7 when sub.Data.Length == 4 => Set(() => result.MulticastDiscoveryAddress = IPv4Address.Read(sub.Data)),
                8 => PxeCodecs.BootServers.TryDecode(sub.Data, out var servers, out error) && Set(() => result.BootServers = servers),
                9 => PxeCodecs.BootMenu.TryDecode(sub.Data, out var menu, out error) && Set(() => result.BootMenu = menu),
                10 => PxeCodecs.MenuPrompt.TryDecode(sub.Data, out var prompt, out error) && Set(() => result.MenuPrompt = prompt),
                71 => PxeCodecs.BootItem.TryDecode(sub.Data, out var item, out error) && Set(() => result.BootItem = item),
                6 or 7 => Invalid(sub.Code, out error),
                _ => Set(() => other.Add(sub)),
            };
            if (!ok)
            {
                error = $"PXE sub-option {sub.Code}: {error}";
                return false;
            }
        }

        result.Other = other;
        options = result;
        return true;

        static bool Set(Action assign)
        {
            assign();
            return true;
        }

        static bool Invalid(byte code, out string error)
        {
            error = $"has the wrong length for sub-option {code}";
            return false;
        }
    }

    /// <summary>The option 43 value, terminated by 255 as PXE requires.</summary>
    public byte[] Encode()
    {
        var list = new List<SubOption>();
        if (DiscoveryControl is { } control)
        {
            list.Add(new SubOption(6, [(byte)control]));
        }

        if (MulticastDiscoveryAddress is { } multicast)
        {
            list.Add(new SubOption(7, OptionCodecs.IPv4.Encode(multicast)));
        }

        if (BootServers.Count > 0)
        {
            list.Add(new SubOption(8, PxeCodecs.BootServers.Encode(BootServers)));
        }

        if (BootMenu.Count > 0)
        {
            list.Add(new SubOption(9, PxeCodecs.BootMenu.Encode(BootMenu)));
        }

        if (MenuPrompt is { } prompt)
        {
            list.Add(new SubOption(10, PxeCodecs.MenuPrompt.Encode(prompt)));
        }

        if (BootItem is { } item)
        {
            list.Add(new SubOption(71, PxeCodecs.BootItem.Encode(item)));
        }

        list.AddRange(Other);
        return OptionCodecs.WriteSubOptions(list, terminate: true);
    }
}
