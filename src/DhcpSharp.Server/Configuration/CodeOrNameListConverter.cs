namespace DhcpSharp.Server.Configuration;

/// <summary>One code or name, or an array of them ("architecture": "bios" or ["bios", 7]).</summary>
public sealed class CodeOrNameListConverter() : CodesOrNamesConverter(allowSingle: true);
