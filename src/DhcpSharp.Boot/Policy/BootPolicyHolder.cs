namespace DhcpSharp.Boot.Policy;

/// <summary>
/// The boot policy in force. The boot stages read it per request, and a configuration reload
/// swaps it in one step, so a request sees either the old rules or the new ones, never a mix.
/// </summary>
public sealed class BootPolicyHolder(BootPolicy policy)
{
    private volatile BootPolicy _current = policy ?? throw new ArgumentNullException(nameof(policy));

    public BootPolicy Current
    {
        get => _current;
        set => _current = value ?? throw new ArgumentNullException(nameof(value));
    }
}
