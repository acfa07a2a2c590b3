using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DhcpSharp.Client.Diagnostics;
using DhcpSharp.Client.StateMachine;
using DhcpSharp.Client.Transport;
using DhcpSharp.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DhcpSharp.Client;

/// <summary>
/// An RFC 2131 DHCP client: obtains, renews, rebinds, releases and declines a lease through an
/// <see cref="IDhcpClientTransport"/>, with all timing on a <see cref="TimeProvider"/>. Like
/// node-dhcp's client it never configures the operating system: it reports lease changes
/// (<see cref="LeaseChanged"/>, <see cref="LeaseChangesAsync"/>) and the caller acts on them.
/// </summary>
/// <remarks>
/// One loop task runs the state machine; replies and API calls reach it through one inbox, so
/// states never race. Handlers of <see cref="LeaseChanged"/> run on that loop: keep them short.
/// </remarks>
public sealed class DhcpClient : IAsyncDisposable
{
    private readonly IDhcpClientTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClientContext _context;
    private readonly ClientInbox _inbox = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Channel<DhcpLeaseChange>> _subscribers = [];
    private readonly Lock _lock = new();
    private ClientState _state = new StoppedState();
    private Task? _loop;
    private Task? _pump;
    private long _datagramsSeen;
    private int _disposed;

    public DhcpClient(DhcpClientOptions options, IDhcpClientTransport transport, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _context = new ClientContext(options, transport, _time, _logger, Announce);
    }

    public DhcpClientOptions Options { get; }

    public DhcpClientState State => Volatile.Read(ref _state).Name;

    /// <summary>The lease held now (BOUND, RENEWING, REBINDING), or null.</summary>
    public DhcpLease? Lease => _context.Lease;

    /// <summary>Raised on the client's loop for each lease change; an exception from a handler is logged and swallowed.</summary>
    public event EventHandler<DhcpLeaseChange>? LeaseChanged;

    /// <summary>Datagrams taken from the transport so far (tests compare it with what they delivered).</summary>
    internal long DatagramsSeen => Interlocked.Read(ref _datagramsSeen);

    internal ClientInbox Inbox => _inbox;

    /// <summary>Begins acquiring a lease (INIT, or INIT-REBOOT with <see cref="DhcpClientOptions.PreviousAddress"/>). Returns once started, not once bound.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => SendCommandAsync(new StartCommand(), cancellationToken);

    /// <summary>The current lease, or the next one bound.</summary>
    public async Task<DhcpLease> WaitForLeaseAsync(CancellationToken cancellationToken = default)
    {
        var channel = Subscribe();
        try
        {
            if (Lease is { } current)
            {
                return current;
            }

            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!change.LosesAddress && change.Lease is { } lease)
                {
                    return lease;
                }
            }

            throw new ObjectDisposedException(nameof(DhcpClient), "the client stopped before it had a lease");
        }
        finally
        {
            Unsubscribe(channel);
        }
    }

    /// <summary>
    /// Lease changes from this call on, until the client is disposed or
    /// <paramref name="cancellationToken"/> fires. Each call gets every change; a slow reader
    /// does not hold up the client.
    /// </summary>
    public IAsyncEnumerable<DhcpLeaseChange> LeaseChangesAsync(CancellationToken cancellationToken = default) =>
        ReadChangesAsync(Subscribe(), cancellationToken);

    /// <summary>Renews now (RENEWING) instead of waiting for T1; without a lease, discovers now.</summary>
    public Task RenewNowAsync(CancellationToken cancellationToken = default) => SendCommandAsync(new RenewNowCommand(), cancellationToken);

    /// <summary>Gives the lease back to its server (DHCPRELEASE) and stops; <see cref="StartAsync"/> begins again.</summary>
    public Task ReleaseAsync(string? message = null, CancellationToken cancellationToken = default) =>
        SendCommandAsync(new ReleaseCommand(message), cancellationToken);

    /// <summary>
    /// Tells the server the leased address is already in use (DHCPDECLINE), e.g. after an ARP
    /// probe was answered, and discovers again after <see cref="DhcpClientOptions.DeclineDelay"/>.
    /// </summary>
    public Task DeclineAsync(string? message = null, CancellationToken cancellationToken = default) =>
        SendCommandAsync(new DeclineCommand(message), cancellationToken);

    /// <summary>
    /// DHCPINFORM: configuration for <paramref name="clientAddress"/>, an address set up by other
    /// means. Only while the client is not seeking a lease itself (not started, or released).
    /// </summary>
    public async Task<DhcpConfiguration> InformAsync(IPv4Address clientAddress, CancellationToken cancellationToken = default)
    {
        var command = new InformCommand(clientAddress);
        await SendCommandAsync(command, cancellationToken).ConfigureAwait(false);
        return await command.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the client without releasing (call <see cref="ReleaseAsync"/> first for that). The transport stays the caller's.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _inbox.Complete();
        foreach (var task in new[] { _loop, _pump })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        if (_state is InformingState informing)
        {
            informing.Abandon();
        }

        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }

        _stopping.Dispose();
    }

    private async Task SendCommandAsync(CommandInput command, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        EnsureRunning();
        ObjectDisposedException.ThrowIf(!_inbox.Post(command), this);

        await command.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void EnsureRunning()
    {
        lock (_lock)
        {
            if (_loop is not null)
            {
                return;
            }

            var token = _stopping.Token;
            _pump = Task.Run(() => PumpAsync(token), CancellationToken.None);
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Transport → inbox. Malformed datagrams are dropped here; matching is the loop's.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var datagram in _transport.ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                if (DhcpMessage.TryParse(datagram.Data.Span, out var message, out var error))
                {
                    _inbox.Post(new ReplyInput(message, datagram.Source));
                }
                else
                {
                    ClientLog.Malformed(_logger, datagram.Source.ToString(), error.ToString());
                }

                Interlocked.Increment(ref _datagramsSeen);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ClientLog.ReceiveFailed(_logger, e);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ClientInput? input;
            try
            {
                input = await _inbox.ReceiveAsync(_time, _state.Deadline, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                var next = input is null
                    ? await _state.OnDeadlineAsync(_context, cancellationToken).ConfigureAwait(false)
                    : await input.ApplyAsync(_context, _state, cancellationToken).ConfigureAwait(false);
                await TransitionAsync(next, cancellationToken).ConfigureAwait(false);
                input?.Complete(null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                input?.Complete(new ObjectDisposedException(nameof(DhcpClient)));
                break;
            }
            catch (Exception e)
            {
                // A refused command (decline without a lease) is the caller's error; anything else is a bug,
                // logged, and the client carries on in its current state.
                if (input is CommandInput)
                {
                    input.Complete(e);
                }
                else
                {
                    ClientLog.LoopFailed(_logger, e, _state.Name);
                }
            }
        }

        // Commands still queued when the client stops are answered, not left hanging.
        while (_inbox.Count > 0 && await _inbox.ReceiveAsync(_time, DateTimeOffset.MinValue, CancellationToken.None).ConfigureAwait(false) is { } pending)
        {
            pending.Complete(new ObjectDisposedException(nameof(DhcpClient)));
        }
    }

    private async Task TransitionAsync(ClientState? next, CancellationToken cancellationToken)
    {
        while (next is not null)
        {
            var previous = _state;
            ClientLog.StateChanged(_logger, previous.Name, next.Name);
            if (previous is InformingState informing && next is not InformingState)
            {
                informing.Abandon();
            }

            Volatile.Write(ref _state, next);
            next = await next.EnterAsync(_context, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs on the loop: event handlers first, then the streams.</summary>
    private void Announce(DhcpLeaseChange change)
    {
        try
        {
            LeaseChanged?.Invoke(this, change);
        }
        catch (Exception e)
        {
            ClientLog.HandlerFailed(_logger, e);
        }

        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(change);
            }
        }
    }

    private Channel<DhcpLeaseChange> Subscribe()
    {
        var channel = Channel.CreateUnbounded<DhcpLeaseChange>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        lock (_lock)
        {
            if (_disposed != 0)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }

        return channel;
    }

    private void Unsubscribe(Channel<DhcpLeaseChange> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }
    }

    private async IAsyncEnumerable<DhcpLeaseChange> ReadChangesAsync(Channel<DhcpLeaseChange> channel, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            Unsubscribe(channel);
        }
    }
}
