namespace DhcpSharp.Hosting.Composition;

/// <summary>proxyDHCP is on; <see cref="Interfaces"/> limits it (null: every interface the server listens on).</summary>
public sealed record ProxyScope(IReadOnlySet<string>? Interfaces);
