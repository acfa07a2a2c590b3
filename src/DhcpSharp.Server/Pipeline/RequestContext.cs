namespace DhcpSharp.Server.Pipeline;

/// <summary>What every request context carries, whatever the protocol version.</summary>
public abstract class RequestContext
{
    protected RequestContext(DateTimeOffset receivedAt)
    {
        ReceivedAt = receivedAt;
    }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>A stage took charge of this request (the DHCP engine or the proxy); later answering stages leave it alone.</summary>
    public bool Handled { get; set; }

    /// <summary>Free-form state for callbacks and custom stages.</summary>
    public IDictionary<string, object?> Items => _items ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Whether a stage after the current one runs user code (see <see cref="IUserCodeStage"/>).</summary>
    public bool UserCodeFollows { get; internal set; }

    private Dictionary<string, object?>? _items;
}
