using System.ComponentModel.DataAnnotations;

namespace DhcpSharp.Server.Configuration;

/// <summary>A time in whole seconds, 1 to 2^32-2 (2^32-1 is "infinite" in DHCP): the range the shape check and the schema use.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecondsAttribute : RangeAttribute
{
    public const long MaximumSeconds = uint.MaxValue - 1L;

    public SecondsAttribute()
        : base(1d, MaximumSeconds)
    {
    }
}
