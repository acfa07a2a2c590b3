global using DhcpSharp.TestSupport;
global using Xunit;
