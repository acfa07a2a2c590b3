global using Xunit;

// Linux sockets (SO_BINDTODEVICE) and the private PostgreSQL cluster the store tests start.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
