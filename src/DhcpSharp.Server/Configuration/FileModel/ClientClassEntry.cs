using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace DhcpSharp.Server.Configuration.FileModel;

/// <summary>One element of "classes", as written.</summary>
public sealed record ClientClassEntry
{
    [Required(ErrorMessage = "is required")]
    public string Name { get; init; } = "";

    [Required(ErrorMessage = "is required (at least one condition)")]
    public ClientClassMatchEntry Match { get; init; } = new();

    public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }
}
