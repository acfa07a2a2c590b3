namespace DhcpSharp.Server.Pipeline;

/// <summary>
/// Says whether a stage runs code the library does not control (a callback). A request may be
/// finished on the lease store's writer thread; before user code runs there it moves to the
/// thread pool, so a slow callback can never stall the commits of everyone else. Stages that do
/// not implement this are assumed to run user code.
/// </summary>
public interface IUserCodeStage
{
    bool RunsUserCode { get; }
}
