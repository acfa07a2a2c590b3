using DhcpSharp.Hosting.Configuration;

namespace DhcpSharp.Hosting.Composition;

/// <summary>
/// The settings the process started with, and those in force now (a reload changes the live
/// parts only: see <see cref="ConfigurationReloader"/>).
/// </summary>
public sealed class DhcpSharpSettingsHolder(DhcpSharpSettings initial)
{
    private volatile DhcpSharpSettings _current = initial ?? throw new ArgumentNullException(nameof(initial));

    public DhcpSharpSettings Initial { get; } = initial;

    public DhcpSharpSettings Current
    {
        get => _current;
        internal set => _current = value;
    }
}
