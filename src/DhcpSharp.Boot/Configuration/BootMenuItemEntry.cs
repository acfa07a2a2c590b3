using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace DhcpSharp.Boot.Configuration;

/// <summary>One line of a PXE menu, as written: its boot-server type, text and file.</summary>
public sealed record BootMenuItemEntry
{
    [Required(ErrorMessage = "is required (32768-65534 for your own items)")]
    [Range(1, 65534)]
    [Description("Boot-server type; 32768-65534 for your own items.")]
    public int Type { get; init; }

    [Required(ErrorMessage = "is required")]
    public string Description { get; init; } = "";

    [Required(ErrorMessage = "is required")]
    public string BootFile { get; init; } = "";
}
