using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Configuration;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Server.Engine;

/// <summary>Evaluates the configured client classes against a request the engine serves (every set condition must match).</summary>
public sealed class ClassificationStage : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    public bool RunsUserCode => false;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Subnet is not null && context.Scope is { Options.Classes.Count: > 0 } scope)
        {
            context.Classes = Classify(scope.Options.Classes, context.Request);
        }

        return StageResult.ContinueTask;
    }

    internal static List<string> Classify(IReadOnlyList<ClientClassOptions> classes, DhcpMessage request)
    {
        string? vendorClass = request.Options.TryGet(DhcpOptions.VendorClassIdentifier, out var v) ? v : null;
        var userClass = request.Options.TryGet(DhcpOptions.UserClass, out var u) ? u : null;
        var architectures = request.Options.TryGet(DhcpOptions.ClientArchitecture, out var a) ? a : null;
        var relay = request.Options.TryGet(DhcpOptions.RelayAgentInformation, out var r) ? r : null;
        var mac = request.ClientHardwareAddress;
        var matched = new List<string>();
        foreach (var definition in classes)
        {
            bool ok =
                (definition.VendorClassPrefix is null || (vendorClass?.StartsWith(definition.VendorClassPrefix, StringComparison.Ordinal) ?? false)) &&
                (definition.VendorClassContains is null || (vendorClass?.Contains(definition.VendorClassContains, StringComparison.Ordinal) ?? false)) &&
                (definition.UserClass is null || (userClass?.Contains(definition.UserClass) ?? false)) &&
                (definition.Architectures.Count == 0 || (architectures?.Any(definition.Architectures.Contains) ?? false)) &&
                (definition.CircuitId is null || SubOptionEquals(relay, 1, definition.CircuitId)) &&
                (definition.RemoteId is null || SubOptionEquals(relay, 2, definition.RemoteId)) &&
                (definition.HardwareAddressPrefix is null || mac.StartsWith(definition.HardwareAddressPrefix));
            if (ok)
            {
                matched.Add(definition.Name);
            }
        }

        return matched;
    }

    private static bool SubOptionEquals(IReadOnlyList<SubOption>? relay, byte code, byte[] expected) =>
        relay?.Any(s => s.Code == code && s.Data.AsSpan().SequenceEqual(expected)) ?? false;
}
