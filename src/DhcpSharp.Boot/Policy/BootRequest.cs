using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Protocol.Pxe;
using DhcpSharp.Server.Engine;

namespace DhcpSharp.Boot.Policy;

/// <summary>
/// What a boot policy looks at: the network-boot facts of one request, derived once. The whole
/// request context stays reachable for callbacks that need more (node-dhcp's <c>bootFile(req)</c>).
/// </summary>
public sealed class BootRequest
{
    public BootRequest(DhcpRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        var options = context.Request.Options;
        VendorClass = options.TryGet(DhcpOptions.VendorClassIdentifier, out var vendor) ? vendor : null;
        IsPxeClient = VendorClass?.StartsWith("PXEClient", StringComparison.Ordinal) ?? false;
        IsHttpClient = VendorClass?.StartsWith("HTTPClient", StringComparison.Ordinal) ?? false;
        UserClass = options.TryGet(DhcpOptions.UserClass, out var userClass) ? userClass : null;
        HasIpxeOptions = options.Contains(DhcpOptions.Ipxe.Code);
        if (options.TryGet(DhcpOptions.ClientArchitecture, out var architectures) && architectures.Count > 0)
        {
            Architecture = architectures[0];
        }
        else if (VendorClass is not null && ProcessorArchitectures.TryParseFromVendorClass(VendorClass, out var fromVendorClass))
        {
            Architecture = fromVendorClass;
        }

        MachineId = options.TryGetRaw(DhcpOptions.ClientMachineId.Code, out var machineId) ? machineId : null;
    }

    public DhcpRequestContext Context { get; }

    public DhcpMessage Request => Context.Request;

    public string? VendorClass { get; }

    /// <summary>Option 60 starts with "PXEClient".</summary>
    public bool IsPxeClient { get; }

    /// <summary>Option 60 starts with "HTTPClient" (UEFI HTTP boot).</summary>
    public bool IsHttpClient { get; }

    /// <summary>Option 93 (first entry), else the Arch field of option 60; null when neither is there.</summary>
    public ProcessorArchitecture? Architecture { get; }

    public BootClientKind Kind => Architecture?.Classify() ?? new BootClientKind(BootFirmware.Unknown, IsHttpClient);

    public UserClass? UserClass { get; }

    public bool HasIpxeOptions { get; }

    /// <summary>iPXE itself (user class "iPXE" in either form, or option 175): it wants a script, not the iPXE binary again.</summary>
    public bool IsIpxe => HasIpxeOptions || (UserClass?.Contains("iPXE") ?? false);

    /// <summary>Raw option 97 (type + GUID), echoed in replies.</summary>
    public byte[]? MachineId { get; }

    public Guid? Uuid => MachineId is { Length: 17 } id && id[0] == 0 ? new Guid(id.AsSpan(1)) : null;

    public ReadOnlySpan<byte> HardwareAddress => Request.ClientHardwareAddress;

    public bool IsNetworkBootClient => IsPxeClient || IsHttpClient;
}

/// <summary>What to boot. Null members mean "not set by this answer".</summary>
public sealed record BootAnswer
{
    /// <summary>TFTP file name (or, for iPXE, any URL iPXE understands).</summary>
    public string? BootFile { get; init; }

    /// <summary>siaddr: the TFTP server; default the answering server itself.</summary>
    public IPv4Address? NextServer { get; init; }

    /// <summary>sname; default the next server's address as text (EDK2 reads it).</summary>
    public string? ServerName { get; init; }

    /// <summary>For HTTPClient (UEFI HTTP boot): the http:// URI of the image.</summary>
    public string? HttpUrl { get; init; }

    /// <summary>An optional PXE menu (option 43.8/9/10). Never sent to iPXE.</summary>
    public PxeMenu? Menu { get; init; }
}

/// <summary>A PXE boot menu: items and a prompt.</summary>
public sealed record PxeMenu(string Prompt, byte Timeout, IReadOnlyList<PxeMenuEntry> Items);

/// <summary>One menu line; its boot file is what the 4011 request for its type gets.</summary>
public sealed record PxeMenuEntry(ushort Type, string Description, string BootFile);
