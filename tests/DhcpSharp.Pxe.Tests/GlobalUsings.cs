global using DhcpSharp.TestSupport;
global using Xunit;

// Network namespaces, tap devices, QEMU: these tests exist only on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
