namespace DhcpSharp.EndToEnd.Tests;

/// <summary>
/// Every end-to-end test runs alone: they start servers and real clients whose timers matter,
/// and on 2 cores parallel runs would only make those timings flaky. (Their networks are
/// isolated anyway: each test builds its own namespaces.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "End-to-end: dhcpsharp serve in network namespaces";
}
