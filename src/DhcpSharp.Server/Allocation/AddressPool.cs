using DhcpSharp.Protocol;

namespace DhcpSharp.Server.Allocation;

/// <summary>
/// The free addresses of one range, as a doubly linked list threaded through two arrays. Taking
/// any address, taking a given one, and giving one back are all O(1), so allocation cost does
/// not grow with pool size or use. Addresses come back at the tail, so a released address is
/// the last to be reused (its client has the best chance of getting it again). Addresses that
/// must never be handed out (excluded, reserved, the network and broadcast addresses) are
/// blocked once, and <see cref="Return"/> — the one way back into the free list — refuses them.
/// </summary>
public sealed class AddressPool
{
    private const int None = -1;

    /// <summary>2^22 addresses (a /10) cost 32 MiB of links; larger ranges are a configuration mistake.</summary>
    public const int MaximumSize = 1 << 22;

    private readonly int[] _next;
    private readonly int[] _previous;
    private readonly bool[] _free;
    private readonly bool[] _blocked;
    private int _head = None;
    private int _tail = None;

    public AddressPool(IPv4Address first, IPv4Address last)
    {
        if (last < first)
        {
            throw new ArgumentException($"pool end {last} is before its start {first}.", nameof(last));
        }

        long size = (long)last.Value - first.Value + 1;
        if (size > MaximumSize)
        {
            throw new ArgumentException($"pool {first}-{last} has {size} addresses; at most {MaximumSize} are supported.", nameof(last));
        }

        First = first;
        Last = last;
        Size = (int)size;
        _next = new int[Size];
        _previous = new int[Size];
        _free = new bool[Size];
        _blocked = new bool[Size];
        for (int i = 0; i < Size; i++)
        {
            Append(i);
        }

        FreeCount = Size;
    }

    public IPv4Address First { get; }

    public IPv4Address Last { get; }

    public int Size { get; }

    public int FreeCount { get; private set; }

    public bool Contains(IPv4Address address) => address >= First && address <= Last;

    public bool IsFree(IPv4Address address) => Contains(address) && _free[Offset(address)];

    /// <summary>In range and not blocked: an address this pool may hand out.</summary>
    public bool IsAllocatable(IPv4Address address) => Contains(address) && !_blocked[Offset(address)];

    /// <summary>Takes an address out for good (excluded, reserved, network, broadcast): it never returns to the free list.</summary>
    public void Block(IPv4Address address)
    {
        if (!Contains(address))
        {
            return;
        }

        TryTake(address);
        _blocked[Offset(address)] = true;
    }

    /// <summary>Takes the address that has been free longest.</summary>
    public bool TryTakeAny(out IPv4Address address)
    {
        if (_head == None)
        {
            address = default;
            return false;
        }

        int offset = _head;
        Unlink(offset);
        address = new IPv4Address(First.Value + (uint)offset);
        return true;
    }

    /// <summary>Takes a given address if it is in this pool and free.</summary>
    public bool TryTake(IPv4Address address)
    {
        if (!IsFree(address))
        {
            return false;
        }

        Unlink(Offset(address));
        return true;
    }

    /// <summary>Gives an address back; false (and no effect) when it is outside the pool, blocked, or already free.</summary>
    public bool Return(IPv4Address address)
    {
        if (!Contains(address) || _free[Offset(address)] || _blocked[Offset(address)])
        {
            return false;
        }

        Append(Offset(address));
        FreeCount++;
        return true;
    }

    private int Offset(IPv4Address address) => (int)(address.Value - First.Value);

    private void Append(int offset)
    {
        _free[offset] = true;
        _next[offset] = None;
        _previous[offset] = _tail;
        if (_tail == None)
        {
            _head = offset;
        }
        else
        {
            _next[_tail] = offset;
        }

        _tail = offset;
    }

    private void Unlink(int offset)
    {
        int previous = _previous[offset];
        int next = _next[offset];
        if (previous == None)
        {
            _head = next;
        }
        else
        {
            _next[previous] = next;
        }

        if (next == None)
        {
            _tail = previous;
        }
        else
        {
            _previous[next] = previous;
        }

        _free[offset] = false;
        FreeCount--;
    }
}
