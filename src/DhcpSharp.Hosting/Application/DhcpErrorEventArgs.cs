using DhcpSharp.Server.Engine;

namespace DhcpSharp.Hosting.Application;

/// <summary>Something failed (node-dhcp's "error" event): a request that was dropped because a stage threw, with its context.</summary>
public sealed class DhcpErrorEventArgs(Exception exception, DhcpRequestContext? context) : EventArgs
{
    public Exception Exception { get; } = exception;

    public DhcpRequestContext? Context { get; } = context;
}
