namespace DhcpSharp.Server.Configuration;

/// <summary>A configuration error: the exact key (JSON path) and why.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string key, string reason)
        : base($"{key}: {reason}")
    {
        Key = key;
        Reason = reason;
    }

    public ConfigurationException()
        : this("$", "invalid configuration")
    {
    }

    public ConfigurationException(string message)
        : this("$", message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "$";
        Reason = message;
    }

    public string Key { get; } = "$";

    public string Reason { get; } = "";
}
