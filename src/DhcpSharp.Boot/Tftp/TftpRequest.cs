namespace DhcpSharp.Boot.Tftp;

/// <summary>A read or write request: file name, mode and the RFC 2347 options, keys lower-cased.</summary>
public sealed record TftpRequest(TftpOpcode Opcode, string FileName, string Mode, IReadOnlyDictionary<string, string> Options);
