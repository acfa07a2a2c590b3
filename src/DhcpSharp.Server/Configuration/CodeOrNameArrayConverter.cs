namespace DhcpSharp.Server.Configuration;

/// <summary>An array of codes or names, never a single one ("alwaysSend": ["domainName", 42]).</summary>
public sealed class CodeOrNameArrayConverter() : CodesOrNamesConverter(allowSingle: false);
