global using DhcpSharp.TestSupport;
global using Xunit;

// Network namespaces, veth, /proc: these tests exist only on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
