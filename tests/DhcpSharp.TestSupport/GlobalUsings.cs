global using Xunit;

// Network namespaces, veth, /proc, kill(2): this harness exists only on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
