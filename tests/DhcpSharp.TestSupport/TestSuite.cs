using System.Reflection;

namespace DhcpSharp.TestSupport;

/// <summary>
/// What differs between the suites that share this harness: how they name their namespaces and
/// interfaces, what they always need, what they say when the machine lacks something, and their
/// knobs. Each suite declares one.
/// </summary>
public sealed record TestSuite
{
    /// <summary>The subject of failure messages, e.g. "The end-to-end tests".</summary>
    public required string Title { get; init; }

    /// <summary>Why the suite needs root, e.g. "network namespaces, UDP port 67, packet capture".</summary>
    public required string RootReason { get; init; }

    /// <summary>
    /// Namespaces are <c>PREFIX-PID-N-ROLE</c> (no '-' in the prefix): the PID is what lets a later
    /// run tell a namespace left by a killed run from one a live run still uses.
    /// </summary>
    public required string NamespacePrefix { get; init; }

    /// <summary>Interfaces are <c>PREFIX</c> + lab number + role (they exist only inside the lab's namespaces).</summary>
    public required string InterfacePrefix { get; init; }

    /// <summary>Programs every lab of the suite needs, whatever the test asks for.</summary>
    public IReadOnlyList<string> BasePrograms { get; init; } = ["ip", "timeout"];

    /// <summary>An environment variable that, set to 1, keeps every lab's work directory; null: none.</summary>
    public string? KeepVariable { get; init; }

    /// <summary>An environment variable naming another dhcpsharp.dll to test; null: always the one built.</summary>
    public string? CliVariable { get; init; }

    /// <summary>
    /// The dhcpsharp.dll under test: <see cref="CliVariable"/>, else the one built with this
    /// library. Fails the test when there is none.
    /// </summary>
    public string DhcpSharpDll
    {
        get
        {
            string? path = CliVariable is null ? null : Environment.GetEnvironmentVariable(CliVariable) is { Length: > 0 } set ? set : null;
            path ??= typeof(TestSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "DhcpSharpCli")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                Assert.Fail($"dhcpsharp.dll not found (recorded at build time: \"{path}\"); build src/DhcpSharp.Cli{(CliVariable is null ? "" : $", or set {CliVariable}")}.");
            }

            return path!;
        }
    }

    /// <summary><c>dotnet dhcpsharp.dll ARGUMENTS…</c>, as an operator runs it.</summary>
    public string[] DhcpSharpCommand(params string[] arguments) => [Prerequisites.Dotnet, DhcpSharpDll, .. arguments];
}
