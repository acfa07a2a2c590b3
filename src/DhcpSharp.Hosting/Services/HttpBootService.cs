using System.Globalization;
using System.Net;
using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Http;
using DhcpSharp.Hosting.Composition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Hosting.Services;

/// <summary>The HTTP boot-file server (UEFI HTTP boot, iPXE's second stage), and the start-up line that sums up network boot.</summary>
internal sealed class HttpBootService(IBootFileProvider files, DhcpSharpSettingsHolder settings, ILoggerFactory loggers, ILogger<HttpBootService> logger) : IHostedService, IAsyncDisposable
{
    private BootHttpServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var boot = settings.Initial.Boot!;
        if (boot.Http)
        {
            _server = new BootHttpServer(files, IPAddress.Any, boot.HttpPort, loggers);
            await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        HostingLog.BootStarted(logger, boot.Root, boot.Proxy ? "proxyDHCP on 67 and 4011" : "boot information in DHCP replies",
            boot.Tftp ? boot.TftpPort.ToString(CultureInfo.InvariantCulture) : "off", boot.Http ? boot.HttpPort.ToString(CultureInfo.InvariantCulture) : "off");
    }

    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
