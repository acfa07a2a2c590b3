using System.Net;
using System.Security.Cryptography;
using DhcpSharp.Client.Diagnostics;
using DhcpSharp.Client.Transport;
using DhcpSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace DhcpSharp.Client.StateMachine;

/// <summary>What the states share: options, clock, transport, the current exchange and lease, and how changes are announced.</summary>
internal sealed class ClientContext(
    DhcpClientOptions options,
    IDhcpClientTransport transport,
    TimeProvider time,
    ILogger logger,
    Action<DhcpLeaseChange> announce)
{
    public const int ServerPort = 67;

    private static readonly IPEndPoint BroadcastEndPoint = new(IPAddress.Broadcast, ServerPort);

    private DhcpLease? _lease;

    public DhcpClientOptions Options { get; } = options;

    public ClientMessageFactory Messages { get; } = new(options);

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public Random Random { get; } = new();

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The xid replies must carry to be looked at; each exchange draws a new one.</summary>
    public uint Xid { get; private set; }

    /// <summary>Written only by the loop; volatile because <see cref="DhcpClient.Lease"/> reads it from any thread.</summary>
    public DhcpLease? Lease
    {
        get => Volatile.Read(ref _lease);
        private set => Volatile.Write(ref _lease, value);
    }

    /// <summary>An address worth asking for again in the next DISCOVER (the previous or expired lease).</summary>
    public IPv4Address? AddressHint { get; set; } = options.PreviousAddress;

    /// <summary>
    /// A fresh transaction ID. Cryptographically random, because a predictable xid lets anyone
    /// on the link answer for the server (RFC 2131 §7).
    /// </summary>
    public uint NewXid()
    {
        uint xid;
        do
        {
            xid = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        }
        while (xid == 0 || xid == Xid);

        Xid = xid;
        return xid;
    }

    public void UseXid(uint xid) => Xid = xid;

    public ushort SecondsSince(DateTimeOffset start) => (ushort)Math.Clamp((Now - start).TotalSeconds, 0, ushort.MaxValue);

    public ValueTask BroadcastAsync(DhcpMessage message, CancellationToken cancellationToken) =>
        SendAsync(message, BroadcastEndPoint, cancellationToken);

    public ValueTask UnicastAsync(DhcpMessage message, IPv4Address server, CancellationToken cancellationToken) =>
        SendAsync(message, server.IsAny ? BroadcastEndPoint : new IPEndPoint(server.ToIPAddress(), ServerPort), cancellationToken);

    /// <summary>A failed send is logged, never fatal: retransmission or the next state tries again.</summary>
    private async ValueTask SendAsync(DhcpMessage message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        string type = message.MessageType.ToWireName();
        ClientLog.Sending(Logger, type, message.TransactionId, destination.ToString());
        try
        {
            await transport.SendAsync(message.ToArray(), destination, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            ClientLog.SendFailed(Logger, type, destination.ToString(), e.Message);
        }
    }

    /// <summary>A new or extended lease.</summary>
    public void Bind(DhcpLeaseChangeKind kind, DhcpLease lease)
    {
        var previous = Lease;
        Lease = lease;
        AddressHint = lease.Address;
        ClientLog.LeaseChanged(Logger, kind.ToString(), lease.Address, lease.ServerIdentifier, lease.IsInfinite ? double.PositiveInfinity : lease.LeaseTime.TotalSeconds);
        announce(new DhcpLeaseChange(kind, lease, previous, Now));
    }

    /// <summary>The address is gone (expired, NAKed, released, declined); <paramref name="keepHint"/> asks for it again next time.</summary>
    public void Lose(DhcpLeaseChangeKind kind, bool keepHint, string? message = null)
    {
        var lost = Lease;
        Lease = null;
        if (!keepHint)
        {
            AddressHint = null;
        }

        if (lost is not null)
        {
            ClientLog.LeaseLost(Logger, kind.ToString(), lost.Address, lost.ServerIdentifier);
        }

        announce(new DhcpLeaseChange(kind, lost, lost, Now, message));
    }
}
