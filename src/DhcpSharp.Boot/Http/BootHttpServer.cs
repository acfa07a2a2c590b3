using System.Net;
using DhcpSharp.Boot.Files;
using DhcpSharp.Boot.Tftp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Boot.Http;

/// <summary>
/// Kestrel serving the boot root (and generated files) over HTTP for UEFI HTTP boot and iPXE's
/// second stage: GET and HEAD, Content-Length always (shim and GRUB refuse chunked replies),
/// byte ranges, application/efi for .efi. The same path rules as TFTP apply.
/// </summary>
public sealed class BootHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public BootHttpServer(IBootFileProvider files, IPAddress address, int port, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggers is not null)
        {
            builder.Services.AddSingleton(loggers);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        _app = builder.Build();
        _app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], async (HttpContext context, string? path) =>
        {
            if (path is null || !BootPath.TryNormalize(Uri.UnescapeDataString(path), out var normalized))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            BootFile? file;
            try
            {
                var remote = new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.None, context.Connection.RemotePort);
                file = await files.OpenAsync(normalized, new BootFileClient(remote), context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BootFileAccessException or UnauthorizedAccessException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (file is null)
            {
                return Results.NotFound();
            }

            // Results.Stream disposes the stream; range processing needs it seekable (files and generated scripts are).
            return Results.Stream(file.Content, BootFiles.ContentType(normalized), enableRangeProcessing: file.Content.CanSeek);
        });
    }

    public IReadOnlyList<string> Urls => [.. _app.Urls];

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
