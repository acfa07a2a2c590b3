using System.Collections.Frozen;
using System.Globalization;

namespace DhcpSharp.Protocol.Pxe;

/// <summary>
/// IANA "Processor Architecture Types" (option 93, RFC 4578 + later registrations). RFC 4578's own
/// table swaps 7 and 9 (erratum 4624); the values here are IANA's, which firmware follows.
/// </summary>
public enum ProcessorArchitecture : ushort
{
    X86Bios = 0,
    NecPc98 = 1,
    EfiItanium = 2,
    DecAlpha = 3,
    ArcX86 = 4,
    IntelLeanClient = 5,
    X86Uefi = 6,
    X64Uefi = 7,
    EfiXscale = 8,
    EfiByteCode = 9,
    Arm32Uefi = 10,
    Arm64Uefi = 11,
    PowerPCOpenFirmware = 12,
    PowerPCEpapr = 13,
    PowerOpalV3 = 14,
    X86UefiHttp = 15,
    X64UefiHttp = 16,
    EfiByteCodeHttp = 17,
    Arm32UefiHttp = 18,
    Arm64UefiHttp = 19,
    X86BiosHttp = 20,
    Arm32UBoot = 21,
    Arm64UBoot = 22,
    Arm32UBootHttp = 23,
    Arm64UBootHttp = 24,
    RiscV32Uefi = 25,
    RiscV32UefiHttp = 26,
    RiscV64Uefi = 27,
    RiscV64UefiHttp = 28,
    RiscV128Uefi = 29,
    RiscV128UefiHttp = 30,
    S390Basic = 31,
    S390Extended = 32,
    Mips32Uefi = 33,
    Mips64Uefi = 34,
    Sunway32Uefi = 35,
    Sunway64Uefi = 36,
    LoongArch32Uefi = 37,
    LoongArch32UefiHttp = 38,
    LoongArch64Uefi = 39,
    LoongArch64UefiHttp = 40,
    ArmRpiBoot = 41,
}

/// <summary>What a boot server has to hand out: the firmware family behind an architecture code.</summary>
public enum BootFirmware
{
    Unknown = 0,
    Bios,
    UefiIa32,
    UefiX64,
    UefiArm32,
    UefiArm64,
    UefiRiscV32,
    UefiRiscV64,
    UefiLoongArch64,
    UBootArm32,
    UBootArm64,
    OpenFirmware,
    Other,
}

/// <summary>The firmware family, and whether the client boots over HTTP (UEFI HTTP boot) instead of TFTP.</summary>
public readonly record struct BootClientKind(BootFirmware Firmware, bool HttpBoot);

/// <summary>Names, firmware classification and parsing of <see cref="ProcessorArchitecture"/> values.</summary>
public static class ProcessorArchitectures
{
    private static readonly FrozenDictionary<ProcessorArchitecture, (string Name, BootClientKind Kind)> Table =
        new Dictionary<ProcessorArchitecture, (string, BootClientKind)>
        {
            [ProcessorArchitecture.X86Bios] = ("x86 BIOS", new(BootFirmware.Bios, false)),
            [ProcessorArchitecture.NecPc98] = ("NEC/PC98", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.EfiItanium] = ("EFI Itanium", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.DecAlpha] = ("DEC Alpha", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.ArcX86] = ("Arc x86", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.IntelLeanClient] = ("Intel Lean Client", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.X86Uefi] = ("x86 UEFI", new(BootFirmware.UefiIa32, false)),
            [ProcessorArchitecture.X64Uefi] = ("x64 UEFI", new(BootFirmware.UefiX64, false)),
            // 8 and 9 are sent by real x64 firmware (older OVMF, Proxmox, some laptops): serve x64 files.
            [ProcessorArchitecture.EfiXscale] = ("EFI Xscale", new(BootFirmware.UefiX64, false)),
            [ProcessorArchitecture.EfiByteCode] = ("EFI BC", new(BootFirmware.UefiX64, false)),
            [ProcessorArchitecture.Arm32Uefi] = ("ARM 32-bit UEFI", new(BootFirmware.UefiArm32, false)),
            [ProcessorArchitecture.Arm64Uefi] = ("ARM 64-bit UEFI", new(BootFirmware.UefiArm64, false)),
            [ProcessorArchitecture.PowerPCOpenFirmware] = ("PowerPC Open Firmware", new(BootFirmware.OpenFirmware, false)),
            [ProcessorArchitecture.PowerPCEpapr] = ("PowerPC ePAPR", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.PowerOpalV3] = ("POWER OPAL v3", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.X86UefiHttp] = ("x86 UEFI HTTP", new(BootFirmware.UefiIa32, true)),
            [ProcessorArchitecture.X64UefiHttp] = ("x64 UEFI HTTP", new(BootFirmware.UefiX64, true)),
            [ProcessorArchitecture.EfiByteCodeHttp] = ("EBC HTTP", new(BootFirmware.UefiX64, true)),
            [ProcessorArchitecture.Arm32UefiHttp] = ("ARM 32-bit UEFI HTTP", new(BootFirmware.UefiArm32, true)),
            [ProcessorArchitecture.Arm64UefiHttp] = ("ARM 64-bit UEFI HTTP", new(BootFirmware.UefiArm64, true)),
            [ProcessorArchitecture.X86BiosHttp] = ("x86 BIOS HTTP", new(BootFirmware.Bios, true)),
            [ProcessorArchitecture.Arm32UBoot] = ("ARM 32-bit U-Boot", new(BootFirmware.UBootArm32, false)),
            [ProcessorArchitecture.Arm64UBoot] = ("ARM 64-bit U-Boot", new(BootFirmware.UBootArm64, false)),
            [ProcessorArchitecture.Arm32UBootHttp] = ("ARM 32-bit U-Boot HTTP", new(BootFirmware.UBootArm32, true)),
            [ProcessorArchitecture.Arm64UBootHttp] = ("ARM 64-bit U-Boot HTTP", new(BootFirmware.UBootArm64, true)),
            [ProcessorArchitecture.RiscV32Uefi] = ("RISC-V 32-bit UEFI", new(BootFirmware.UefiRiscV32, false)),
            [ProcessorArchitecture.RiscV32UefiHttp] = ("RISC-V 32-bit UEFI HTTP", new(BootFirmware.UefiRiscV32, true)),
            [ProcessorArchitecture.RiscV64Uefi] = ("RISC-V 64-bit UEFI", new(BootFirmware.UefiRiscV64, false)),
            [ProcessorArchitecture.RiscV64UefiHttp] = ("RISC-V 64-bit UEFI HTTP", new(BootFirmware.UefiRiscV64, true)),
            [ProcessorArchitecture.RiscV128Uefi] = ("RISC-V 128-bit UEFI", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.RiscV128UefiHttp] = ("RISC-V 128-bit UEFI HTTP", new(BootFirmware.Other, true)),
            [ProcessorArchitecture.S390Basic] = ("s390 Basic", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.S390Extended] = ("s390 Extended", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.Mips32Uefi] = ("MIPS 32-bit UEFI", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.Mips64Uefi] = ("MIPS 64-bit UEFI", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.Sunway32Uefi] = ("Sunway 32-bit UEFI", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.Sunway64Uefi] = ("Sunway 64-bit UEFI", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.LoongArch32Uefi] = ("LoongArch 32-bit UEFI", new(BootFirmware.Other, false)),
            [ProcessorArchitecture.LoongArch32UefiHttp] = ("LoongArch 32-bit UEFI HTTP", new(BootFirmware.Other, true)),
            [ProcessorArchitecture.LoongArch64Uefi] = ("LoongArch 64-bit UEFI", new(BootFirmware.UefiLoongArch64, false)),
            [ProcessorArchitecture.LoongArch64UefiHttp] = ("LoongArch 64-bit UEFI HTTP", new(BootFirmware.UefiLoongArch64, true)),
            // Raspberry Pi network boot loads arm64 UEFI (smee serves snp.efi).
            [ProcessorArchitecture.ArmRpiBoot] = ("ARM rpiboot", new(BootFirmware.UefiArm64, false)),
        }.ToFrozenDictionary();

    /// <summary>Short names used by <c>--boot ARCH=FILE</c> and the boot policy config.</summary>
    private static readonly FrozenDictionary<string, ProcessorArchitecture> ShortNames =
        new Dictionary<string, ProcessorArchitecture>(StringComparer.OrdinalIgnoreCase)
        {
            ["bios"] = ProcessorArchitecture.X86Bios,
            ["uefi-ia32"] = ProcessorArchitecture.X86Uefi,
            ["uefi-x86"] = ProcessorArchitecture.X86Uefi,
            ["uefi-x64"] = ProcessorArchitecture.X64Uefi,
            ["uefi-ebc"] = ProcessorArchitecture.EfiByteCode,
            ["uefi-arm32"] = ProcessorArchitecture.Arm32Uefi,
            ["uefi-arm64"] = ProcessorArchitecture.Arm64Uefi,
            ["uefi-riscv32"] = ProcessorArchitecture.RiscV32Uefi,
            ["uefi-riscv64"] = ProcessorArchitecture.RiscV64Uefi,
            ["uefi-loongarch64"] = ProcessorArchitecture.LoongArch64Uefi,
            ["http-uefi-ia32"] = ProcessorArchitecture.X86UefiHttp,
            ["http-uefi-x64"] = ProcessorArchitecture.X64UefiHttp,
            ["http-uefi-arm32"] = ProcessorArchitecture.Arm32UefiHttp,
            ["http-uefi-arm64"] = ProcessorArchitecture.Arm64UefiHttp,
            ["http-bios"] = ProcessorArchitecture.X86BiosHttp,
            ["uboot-arm32"] = ProcessorArchitecture.Arm32UBoot,
            ["uboot-arm64"] = ProcessorArchitecture.Arm64UBoot,
            ["rpiboot"] = ProcessorArchitecture.ArmRpiBoot,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<ProcessorArchitecture> All => Table.Keys.Order();

    public static IEnumerable<string> ShortNamesKnown => ShortNames.Keys.Order(StringComparer.Ordinal);

    /// <summary>The IANA name ("x64 UEFI"), or "unassigned N".</summary>
    public static string GetDisplayName(this ProcessorArchitecture architecture) =>
        Table.TryGetValue(architecture, out var entry) ? entry.Name : $"unassigned {(ushort)architecture}";

    public static BootClientKind Classify(this ProcessorArchitecture architecture) =>
        Table.TryGetValue(architecture, out var entry) ? entry.Kind : new BootClientKind(BootFirmware.Unknown, false);

    /// <summary>Parses a short name ("uefi-x64"), an enum name ("X64Uefi") or a decimal code ("7").</summary>
    public static bool TryParse(string text, out ProcessorArchitecture architecture)
    {
        if (ShortNames.TryGetValue(text, out architecture))
        {
            return true;
        }

        if (ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort code))
        {
            architecture = (ProcessorArchitecture)code;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out architecture) && Enum.IsDefined(architecture);
    }

    /// <summary>
    /// The architecture from option 60's "PXEClient:Arch:xxxxx:…" field, for clients without
    /// option 93. Only a fallback: the digits are less reliable than 93.
    /// </summary>
    public static bool TryParseFromVendorClass(ReadOnlySpan<char> vendorClass, out ProcessorArchitecture architecture)
    {
        architecture = default;
        int index = vendorClass.IndexOf("Arch:", StringComparison.Ordinal);
        if (index < 0 || index + 10 > vendorClass.Length)
        {
            return false;
        }

        if (!ushort.TryParse(vendorClass.Slice(index + 5, 5), NumberStyles.None, CultureInfo.InvariantCulture, out ushort code))
        {
            return false;
        }

        architecture = (ProcessorArchitecture)code;
        return true;
    }
}
