using DhcpSharp.Server.Allocation;
using DhcpSharp.Server.Configuration;

namespace DhcpSharp.Server.Engine;

/// <summary>
/// One immutable snapshot of the DHCP configuration: the options, the address plan built from
/// them, and the reply builder. A reload builds a new scope and swaps it in atomically with the
/// lease manager's plan; a request keeps the scope it started with.
/// </summary>
public sealed class DhcpScope
{
    public DhcpScope(DhcpServerOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Plan = new AddressPlan(options);
        Replies = new ReplyBuilder(options);
    }

    public DhcpServerOptions Options { get; }

    public AddressPlan Plan { get; }

    internal ReplyBuilder Replies { get; }
}
