namespace DhcpSharp.Server.Leases;

/// <summary>
/// The store cannot be reached (a database down or restarting): the request is dropped, nothing is
/// acknowledged, and the client retransmits. Stores throw this instead of their driver's error so
/// the pipeline can count it under one reason without a stack trace per request.
/// </summary>
public sealed class LeaseStoreUnavailableException : Exception
{
    public LeaseStoreUnavailableException()
        : this("the lease store is unavailable")
    {
    }

    public LeaseStoreUnavailableException(string message)
        : base(message)
    {
    }

    public LeaseStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
