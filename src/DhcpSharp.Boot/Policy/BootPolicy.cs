using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Pxe;

namespace DhcpSharp.Boot.Policy;

/// <summary>Conditions of a rule; every condition that is set must hold.</summary>
public sealed record BootMatch
{
    public IReadOnlyList<ProcessorArchitecture> Architectures { get; init; } = [];

    /// <summary>Matches every architecture of these firmware families (bios, uefi-x64 covers 7, 8, 9 …).</summary>
    public IReadOnlyList<BootFirmware> Firmware { get; init; } = [];

    public bool? HttpBoot { get; init; }

    public string? VendorClassPrefix { get; init; }

    public string? UserClass { get; init; }

    /// <summary>true: only iPXE (77 "iPXE" or 175 present); false: only firmware that is not iPXE.</summary>
    public bool? Ipxe { get; init; }

    public byte[]? HardwareAddress { get; init; }

    public byte[]? HardwareAddressPrefix { get; init; }

    public Guid? Uuid { get; init; }

    public string? Interface { get; init; }

    public bool Matches(BootRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (Architectures.Count == 0 || (request.Architecture is { } a && Architectures.Contains(a))) &&
               (Firmware.Count == 0 || Firmware.Contains(request.Kind.Firmware)) &&
               (HttpBoot is null || HttpBoot == (request.IsHttpClient || request.Kind.HttpBoot)) &&
               (VendorClassPrefix is null || (request.VendorClass?.StartsWith(VendorClassPrefix, StringComparison.Ordinal) ?? false)) &&
               (UserClass is null || (request.UserClass?.Contains(UserClass) ?? false)) &&
               (Ipxe is null || Ipxe == request.IsIpxe) &&
               (HardwareAddress is null || request.HardwareAddress.SequenceEqual(HardwareAddress)) &&
               (HardwareAddressPrefix is null || request.HardwareAddress.StartsWith(HardwareAddressPrefix)) &&
               (Uuid is null || Uuid == request.Uuid) &&
               (Interface is null || Interface == request.Context.Ingress.Name);
    }
}

/// <summary>One boot rule: when <see cref="BootMatch"/> holds, the client gets <see cref="BootAnswer"/>.</summary>
public sealed record BootRule(BootMatch Match, BootAnswer Answer, string? Name = null);

/// <summary>
/// Decides what a network-boot client gets: the typed async callback first (if set and it
/// answers), then the rules, first match wins. No answer: the client is not served.
/// </summary>
public sealed class BootPolicy(IReadOnlyList<BootRule> rules, Func<BootRequest, CancellationToken, ValueTask<BootAnswer?>>? callback = null)
{
    public IReadOnlyList<BootRule> Rules { get; } = rules;

    /// <summary>Whether a library callback decides first (user code: kept off the lease store's writer thread).</summary>
    public bool HasCallback => callback is not null;

    public async ValueTask<BootAnswer?> DecideAsync(BootRequest request, CancellationToken cancellationToken)
    {
        if (callback is not null && await callback(request, cancellationToken).ConfigureAwait(false) is { } answer)
        {
            return answer;
        }

        foreach (var rule in Rules)
        {
            if (rule.Match.Matches(request))
            {
                return rule.Answer;
            }
        }

        return null;
    }

    /// <summary>The script iPXE is handed by default: served from the TFTP root (or generated when absent).</summary>
    public const string DefaultIpxeScript = "boot.ipxe";

    /// <summary>
    /// Built-in rules for Debian's ipxe package layout, in an order that cannot loop: iPXE gets
    /// the script; UEFI HTTP boot gets a URL of the EFI iPXE binary; BIOS firmware gets
    /// undionly.kpxe; x64 UEFI firmware gets snponly.efi (the SNP-only build works on more NICs
    /// than ipxe.efi). <paramref name="overrides"/> (from <c>--boot ARCH=FILE</c>) come first and
    /// apply to the whole firmware family of ARCH (uefi-x64 covers codes 7, 8 and 9).
    /// </summary>
    public static IReadOnlyList<BootRule> DefaultRules(string? httpBase, IEnumerable<BootOverride>? overrides = null)
    {
        var list = overrides?.ToList() ?? [];
        string ipxeFile = list.LastOrDefault(o => o.Ipxe)?.File ?? DefaultIpxeScript;
        var rules = new List<BootRule>
        {
            // The script goes by TFTP like the binaries: every iPXE build has TFTP, not every one HTTP.
            new(new BootMatch { Ipxe = true }, new BootAnswer { BootFile = ipxeFile }, "ipxe"),
        };
        foreach (var entry in list.Where(o => o.Architecture is not null))
        {
            var kind = entry.Architecture!.Value.Classify();
            var match = new BootMatch { Firmware = [kind.Firmware], HttpBoot = kind.HttpBoot, Ipxe = false };
            var answer = !kind.HttpBoot ? new BootAnswer { BootFile = entry.File }
                : entry.File.Contains("://", StringComparison.Ordinal) || httpBase is null ? new BootAnswer { HttpUrl = entry.File }
                : new BootAnswer { HttpUrl = $"{httpBase}/{entry.File}" };
            rules.Add(new BootRule(match, answer, $"--boot {entry.Architecture.Value.GetDisplayName()}"));
        }

        if (httpBase is not null)
        {
            rules.Add(new(new BootMatch { HttpBoot = true, Firmware = [BootFirmware.UefiX64] }, new BootAnswer { HttpUrl = $"{httpBase}/snponly.efi" }, "http-uefi-x64"));
        }

        rules.Add(new(new BootMatch { Firmware = [BootFirmware.Bios], HttpBoot = false }, new BootAnswer { BootFile = "undionly.kpxe" }, "bios"));
        rules.Add(new(new BootMatch { Firmware = [BootFirmware.UefiX64], HttpBoot = false }, new BootAnswer { BootFile = "snponly.efi" }, "uefi-x64"));
        return rules;
    }

    /// <summary>Parses <c>--boot ARCH=FILE</c>: ARCH is a short name (bios, uefi-x64, http-uefi-x64, ipxe …) or a code.</summary>
    public static bool TryParseOverride(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BootOverride? result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        result = null;
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            error = $"'{text}' is not ARCH=FILE (e.g. bios=undionly.kpxe, uefi-x64=snponly.efi, ipxe=boot.ipxe)";
            return false;
        }

        string name = text[..equals].Trim();
        string file = text[(equals + 1)..].Trim();
        if (string.Equals(name, "ipxe", StringComparison.OrdinalIgnoreCase))
        {
            result = new BootOverride(null, true, file);
            error = null;
            return true;
        }

        if (!ProcessorArchitectures.TryParse(name, out var parsed))
        {
            error = $"'{name}' is not an architecture: use ipxe, a code, or one of {string.Join(", ", ProcessorArchitectures.ShortNamesKnown)}";
            return false;
        }

        result = new BootOverride(parsed, false, file);
        error = null;
        return true;
    }
}

/// <summary>One <c>--boot ARCH=FILE</c>: an architecture (family) or iPXE, and its file.</summary>
public sealed record BootOverride(ProcessorArchitecture? Architecture, bool Ipxe, string File);
