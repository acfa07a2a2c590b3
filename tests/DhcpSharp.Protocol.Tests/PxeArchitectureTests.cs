using DhcpSharp.Protocol.Pxe;

namespace DhcpSharp.Protocol.Tests;

public class PxeArchitectureTests
{
    [Fact]
    public void Iana_table_has_codes_0_to_41_with_names()
    {
        var codes = ProcessorArchitectures.All.Select(a => (int)a).ToArray();
        Assert.Equal(Enumerable.Range(0, 42), codes);
        Assert.All(ProcessorArchitectures.All, a => Assert.DoesNotContain("unassigned", a.GetDisplayName(), StringComparison.Ordinal));
        Assert.Equal("unassigned 42", ((ProcessorArchitecture)42).GetDisplayName());
    }

    [Theory]
    [InlineData(0, BootFirmware.Bios, false)]
    [InlineData(6, BootFirmware.UefiIa32, false)]
    [InlineData(7, BootFirmware.UefiX64, false)]
    [InlineData(8, BootFirmware.UefiX64, false)]
    [InlineData(9, BootFirmware.UefiX64, false)]
    [InlineData(10, BootFirmware.UefiArm32, false)]
    [InlineData(11, BootFirmware.UefiArm64, false)]
    [InlineData(15, BootFirmware.UefiIa32, true)]
    [InlineData(16, BootFirmware.UefiX64, true)]
    [InlineData(19, BootFirmware.UefiArm64, true)]
    [InlineData(27, BootFirmware.UefiRiscV64, false)]
    [InlineData(28, BootFirmware.UefiRiscV64, true)]
    [InlineData(25, BootFirmware.UefiRiscV32, false)]
    [InlineData(41, BootFirmware.UefiArm64, false)]
    [InlineData(500, BootFirmware.Unknown, false)]
    public void Classification_follows_firmware_practice(int code, BootFirmware firmware, bool http)
    {
        Assert.Equal(new BootClientKind(firmware, http), ((ProcessorArchitecture)code).Classify());
    }

    [Theory]
    [InlineData("bios", 0)]
    [InlineData("uefi-x64", 7)]
    [InlineData("UEFI-IA32", 6)]
    [InlineData("uefi-arm64", 11)]
    [InlineData("http-uefi-x64", 16)]
    [InlineData("9", 9)]
    [InlineData("X64Uefi", 7)]
    public void Short_names_and_numbers_parse(string text, int code)
    {
        Assert.True(ProcessorArchitectures.TryParse(text, out var architecture));
        Assert.Equal(code, (int)architecture);
    }

    [Fact]
    public void Unknown_names_do_not_parse()
    {
        Assert.False(ProcessorArchitectures.TryParse("amiga", out _));
    }

    [Theory]
    [InlineData("PXEClient:Arch:00007:UNDI:003000", true, 7)]
    [InlineData("PXEClient:Arch:00000:UNDI:002001", true, 0)]
    [InlineData("HTTPClient:Arch:00016:UNDI:003000", true, 16)]
    [InlineData("PXEClient", false, 0)]
    [InlineData("PXEClient:Arch:0x007", false, 0)]
    public void Architecture_falls_back_to_the_vendor_class(string vendorClass, bool ok, int code)
    {
        Assert.Equal(ok, ProcessorArchitectures.TryParseFromVendorClass(vendorClass, out var architecture));
        if (ok)
        {
            Assert.Equal(code, (int)architecture);
        }
    }
}
