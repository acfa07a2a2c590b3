namespace DhcpSharp.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The end-to-end suite's labs: namespaces <c>dse2e-PID-N-ROLE</c>, interfaces <c>dse2e-NROLE</c>.
/// A missing program fails the test with what to install (never a skip).
/// </summary>
internal static class EndToEndLab
{
    public static readonly TestSuite Suite = new()
    {
        Title = "The end-to-end tests",
        RootReason = "network namespaces, UDP port 67, packet capture",
        NamespacePrefix = "dse2e",
        InterfacePrefix = "dse2e-",
        KeepVariable = "DSE2E_KEEP",
        CliVariable = "DHCPSHARP_E2E_CLI",
    };

    /// <summary>Checks root and the <paramref name="programs"/> (failing the test if absent), then creates the lab.</summary>
    public static Task<NamespaceLab> CreateAsync(params string[] programs) => NamespaceLab.CreateAsync(Suite, programs);
}
