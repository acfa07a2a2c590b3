using DhcpSharp.Server.Engine;

namespace DhcpSharp.Hosting.Application;

/// <summary>A request arrived (node-dhcp's "message" event); raised before any stage decides about it.</summary>
public sealed class DhcpMessageEventArgs(DhcpRequestContext context) : EventArgs
{
    public DhcpRequestContext Context { get; } = context;
}
