using System.Runtime.CompilerServices;

namespace DhcpSharp.Server.Leases;

/// <summary>
/// One client's lease decisions one at a time on this server: a retransmitted DISCOVER handled
/// while the first is still claiming (a shared store answers in milliseconds) would otherwise
/// claim a second address for the same client. Striped async locks: clients sharing a stripe only
/// wait for each other, and a free stripe costs no allocation.
/// </summary>
internal sealed class ClientLocks
{
    private const int Stripes = 1024;
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1))];

    public ValueTask<Held> EnterAsync(string clientKey, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(clientKey) % Stripes];
        var wait = stripe.WaitAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? ValueTask.FromResult(new Held(stripe)) : WaitAsync(wait, stripe);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Held> WaitAsync(Task wait, SemaphoreSlim stripe)
    {
        await wait.ConfigureAwait(false);
        return new Held(stripe);
    }

    /// <summary>Leaves the stripe when disposed.</summary>
    public readonly struct Held(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
