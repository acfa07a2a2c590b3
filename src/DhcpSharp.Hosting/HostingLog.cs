using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting;

/// <summary>Source-generated log messages of the host. Event IDs are never reused (200-299 were the CLI host's and keep their meaning).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(200, LogLevel.Information, "DHCP server started; leases in {LeaseFile} ({Purged} long-ended leases purged)")]
    public static partial void DhcpStarted(ILogger logger, string leaseFile, int purged);

    [LoggerMessage(201, LogLevel.Information, "DHCP server stopped; lease store flushed ({Commits} commits, {Writes} lease writes this run)")]
    public static partial void Stopped(ILogger logger, long commits, long writes);

    [LoggerMessage(202, LogLevel.Information, "Configuration reloaded")]
    public static partial void Reloaded(ILogger logger);

    [LoggerMessage(203, LogLevel.Error, "Reload refused, keeping the running configuration: {Error}")]
    public static partial void ReloadRefused(ILogger logger, string error);

    [LoggerMessage(204, LogLevel.Warning, "Reload ignored: {Reason}")]
    public static partial void ReloadSkipped(ILogger logger, string reason);

    [LoggerMessage(205, LogLevel.Information, "Network boot: root {Root}, {Mode}, TFTP port {TftpPort}, HTTP port {HttpPort}")]
    public static partial void BootStarted(ILogger logger, string root, string mode, string tftpPort, string httpPort);

    [LoggerMessage(206, LogLevel.Warning, "Reload: {Setting} changed but cannot change while running; it takes effect at the next restart")]
    public static partial void NotAppliedLive(ILogger logger, string setting);

    [LoggerMessage(207, LogLevel.Error, "Reload failed, keeping the running configuration")]
    public static partial void ReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(208, LogLevel.Error, "Reclaiming expired leases failed")]
    public static partial void ReclaimFailed(ILogger logger, Exception exception);
}
