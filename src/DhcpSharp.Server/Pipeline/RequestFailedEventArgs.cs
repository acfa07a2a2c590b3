using DhcpSharp.Server.Engine;

namespace DhcpSharp.Server.Pipeline;

/// <summary>A request was dropped because a stage or callback threw.</summary>
public sealed class RequestFailedEventArgs(DhcpRequestContext context, Exception exception) : EventArgs
{
    public DhcpRequestContext Context { get; } = context;

    public Exception Exception { get; } = exception;
}
