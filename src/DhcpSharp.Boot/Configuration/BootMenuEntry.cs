using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace DhcpSharp.Boot.Configuration;

/// <summary>A boot rule's PXE "menu", as written.</summary>
public sealed record BootMenuEntry
{
    public const string DefaultPrompt = "Press F8 for the boot menu";
    public const int DefaultTimeout = 5;

    [DefaultValue(DefaultPrompt)]
    public string? Prompt { get; init; }

    [Range(0, 255)]
    [DefaultValue(DefaultTimeout)]
    [Description("Seconds the prompt is shown (0: boot the first item, 255: wait for a choice).")]
    public int? Timeout { get; init; }

    [Required(ErrorMessage = "a menu needs at least one item")]
    public IReadOnlyList<BootMenuItemEntry> Items { get; init; } = [];
}
