using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// Places a request in a subnet, once: relay link-selection (82.5, RFC 3527), subnet-selection
/// (118, RFC 3011), giaddr (relayed), then the receiving interface. No subnet means the DHCP
/// engine does not serve it (the proxy may). Also pins the request to the current configuration.
/// </summary>
public sealed class SubnetSelectionStage(DhcpServerEngine engine) : IRequestStage<DhcpRequestContext>, IUserCodeStage
{
    public bool RunsUserCode => false;

    public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = engine.Scope;
        context.Scope = scope;
        context.Subnet = Select(scope.Plan, context);
        if (context.Subnet is not null)
        {
            context.ServerIdentifier = scope.Options.ServerIdentifier ?? context.Ingress.LocalAddress;
        }

        return StageResult.ContinueTask;
    }

    private static ServedSubnet? Select(AddressPlan plan, DhcpRequestContext context)
    {
        var request = context.Request;
        if (request.Options.TryGet(DhcpOptions.RelayAgentInformation, out var relay))
        {
            foreach (var sub in relay)
            {
                if (sub.Code == 5 && sub.Data.Length == 4)
                {
                    return plan.SubnetContaining(IPv4Address.Read(sub.Data));
                }
            }
        }

        if (request.Options.TryGet(DhcpOptions.SubnetSelection, out var selected))
        {
            return plan.SubnetContaining(selected);
        }

        if (!request.GatewayAddress.IsAny)
        {
            return plan.SubnetContaining(request.GatewayAddress);
        }

        foreach (var subnet in plan.Subnets)
        {
            if (subnet.Options.Interface is { } name && string.Equals(name, context.Ingress.Name, StringComparison.Ordinal))
            {
                return subnet;
            }
        }

        var local = plan.SubnetContaining(context.Ingress.LocalAddress);
        return local is not null && (local.Options.Interface is null || local.Options.Interface == context.Ingress.Name) ? local : null;
    }
}
