namespace DhcpSharp.Boot.Files;

/// <summary>Who is asking for a boot file (for per-client virtual files such as generated iPXE scripts).</summary>
public sealed record BootFileClient(System.Net.IPEndPoint RemoteEndPoint);
