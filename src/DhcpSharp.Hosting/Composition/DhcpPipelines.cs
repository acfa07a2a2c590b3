using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Hosting.Composition;

/// <summary>The request pipelines of the process: port 67 (DHCP and/or proxyDHCP) and port 4011 (PXE boot server), when configured.</summary>
public sealed record DhcpPipelines(DhcpPipeline? DhcpPort, DhcpPipeline? BootServerPort);
