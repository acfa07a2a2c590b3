using DhcpSharp.Boot.Policy;
using DhcpSharp.Boot.Configuration;

namespace DhcpSharp.Hosting.Composition;

/// <summary>The boot rules a boot section asks for, with the HTTP base URL the built-in rules point at.</summary>
internal static class BootRules
{
    public static IReadOnlyList<BootRule> For(BootSettings boot) =>
        boot.EffectiveRules(HttpBase(boot));

    /// <summary>"{server}" becomes the answering interface's address in each reply.</summary>
    public static string? HttpBase(BootSettings boot) => boot.Http ? $"http://{{server}}:{boot.HttpPort}" : null;
}
