using System.Net;
using DhcpSharp.Protocol;

namespace DhcpSharp.Client.StateMachine;

/// <summary>Something for the state machine loop: a reply or a command. Each knows what it does to the current state.</summary>
internal abstract class ClientInput
{
    public abstract ValueTask<ClientState?> ApplyAsync(ClientContext context, ClientState current, CancellationToken cancellationToken);

    /// <summary>Tells the caller the input is handled (commands), or why it failed.</summary>
    public virtual void Complete(Exception? error)
    {
    }
}

/// <summary>A parsed datagram from the transport.</summary>
internal sealed class ReplyInput(DhcpMessage message, IPEndPoint source) : ClientInput
{
    public override ValueTask<ClientState?> ApplyAsync(ClientContext context, ClientState current, CancellationToken cancellationToken)
    {
        if (ReplyFilter.Reject(context, message) is { } reason)
        {
            Diagnostics.ClientLog.Ignored(context.Logger, message.MessageType.ToWireName(), message.TransactionId, source.ToString(), reason);
            return ValueTask.FromResult<ClientState?>(null);
        }

        return current.OnReplyAsync(context, message, cancellationToken);
    }
}

/// <summary>Which replies belong to this client's current exchange.</summary>
internal static class ReplyFilter
{
    /// <summary>Null when the reply is for us; otherwise why not.</summary>
    public static string? Reject(ClientContext context, DhcpMessage reply)
    {
        if (reply.Operation != BootOperation.Reply)
        {
            return "not a BOOTREPLY";
        }

        if (reply.TransactionId != context.Xid)
        {
            return $"xid is not the current 0x{context.Xid:x8}";
        }

        if (reply.HardwareType != context.Options.HardwareType || !reply.ClientHardwareAddress.SequenceEqual(context.Options.HardwareAddress))
        {
            return "chaddr is not ours";
        }

        // RFC 6842: a server that echoes option 61 must echo ours.
        if (reply.Options.TryGetRaw(DhcpOptionCode.ClientIdentifier, out var identifier) && context.Messages.ClientIdentifierBytes.Length > 0 &&
            !identifier.AsSpan().SequenceEqual(context.Messages.ClientIdentifierBytes))
        {
            return "client identifier is not ours";
        }

        return reply.MessageType is DhcpMessageType.Offer or DhcpMessageType.Ack or DhcpMessageType.Nak
            ? null
            : $"a client has no use for {reply.MessageType.ToWireName()}";
    }
}

/// <summary>A public API call, completed once the loop has acted on it (messages sent, state changed).</summary>
internal abstract class CommandInput : ClientInput
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _completion.Task;

    public override void Complete(Exception? error)
    {
        if (error is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(error);
        }
    }

    public void Cancel() => _completion.TrySetCanceled();
}

internal sealed class StartCommand : CommandInput
{
    public override ValueTask<ClientState?> ApplyAsync(ClientContext context, ClientState current, CancellationToken cancellationToken)
    {
        if (current.Name != DhcpClientState.Stopped)
        {
            return ValueTask.FromResult<ClientState?>(null);
        }

        var startDelay = context.Options.MaximumStartDelay * context.Random.NextDouble();
        ClientState next = context.AddressHint is { } previous ? new InitRebootState(previous) : new InitState(startDelay);
        return ValueTask.FromResult<ClientState?>(next);
    }
}

/// <summary>RELEASE (unicast to the server, RFC 2131 §4.4.6) and stop seeking a lease.</summary>
internal sealed class ReleaseCommand(string? reason) : CommandInput
{
    public override async ValueTask<ClientState?> ApplyAsync(ClientContext context, ClientState current, CancellationToken cancellationToken)
    {
        if (context.Lease is { } lease)
        {
            await context.UnicastAsync(context.Messages.Release(context.NewXid(), lease.Address, lease.ServerIdentifier, reason), lease.ServerIdentifier, cancellationToken).ConfigureAwait(false);
            context.Lose(DhcpLeaseChangeKind.Released, keepHint: false);
        }

        return current.Name == DhcpClientState.Stopped ? null : new StoppedState();
    }
}

/// <summary>
/// DECLINE: the caller found the address in use (an ARP probe answered). Broadcast, since the
/// address cannot be used to send from (RFC 2131 §4.4.1); then discover again after the pause.
/// </summary>
internal sealed class DeclineCommand(string? reason) : CommandInput
{
    public override async ValueTask<ClientState?> ApplyAsync(ClientContext context, ClientState current, CancellationToken cancellationToken)
    {
        var lease = context.Lease ?? throw new InvalidOperationException("there is no lease to decline");
        await context.BroadcastAsync(context.Messages.Decline(context.NewXid(), lease.Address, lease.ServerIdentifier, reason), cancellationToken).ConfigureAwait(false);
        context.Lose(DhcpLeaseChangeKind.Declined, keepHint: false, reason);
        return new InitState(context.Options.DeclineDelay);
    }
}

/// <summary>Renew now instead of at T1; without a lease, discover now instead of waiting.</summary>
internal sealed class RenewNowCommand : CommandInput
{
    public override ValueTask<ClientState?> ApplyAsync(ClientContext context, ClientState current, CancellationToken cancellationToken)
    {
        ClientState? next = current.Name switch
        {
            DhcpClientState.Stopped or DhcpClientState.Informing => throw new InvalidOperationException("the client is not started"),
            _ when context.Lease is not null => new RenewingState(),
            DhcpClientState.Init => new SelectingState(),
            _ => null,
        };
        return ValueTask.FromResult(next);
    }
}

internal sealed class InformCommand(IPv4Address address) : CommandInput
{
    public TaskCompletionSource<DhcpConfiguration> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ValueTask<ClientState?> ApplyAsync(ClientContext context, ClientState current, CancellationToken cancellationToken)
    {
        if (current.Name != DhcpClientState.Stopped)
        {
            throw new InvalidOperationException($"INFORM is for a host whose address is configured by other means; this client is {current.Name}");
        }

        return ValueTask.FromResult<ClientState?>(new InformingState(address, Result));
    }

    public override void Complete(Exception? error)
    {
        base.Complete(error);
        if (error is not null)
        {
            Result.TrySetException(error);
        }
    }
}
