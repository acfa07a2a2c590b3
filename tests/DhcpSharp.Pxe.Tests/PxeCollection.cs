namespace DhcpSharp.Pxe.Tests;

/// <summary>
/// The boots run one after another: each keeps a core busy with TCG emulation for 20–40 s, and
/// on a 2-core machine two at once would only make the timings (and the firmware's own DHCP
/// timeouts) flaky. Their networks are isolated anyway: each test builds its own namespaces.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PxeCollection
{
    public const string Name = "PXE: real firmware against dhcpsharp in network namespaces";
}
