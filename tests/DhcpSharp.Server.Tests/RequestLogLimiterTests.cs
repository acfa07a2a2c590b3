using DhcpSharp.Server.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace DhcpSharp.Server.Tests;

public class RequestLogLimiterTests
{
    [Fact]
    public void Lets_a_fixed_number_of_lines_through_per_second_and_reports_what_it_held_back()
    {
        var clock = new FakeTimeProvider();
        var limiter = new RequestLogLimiter(clock, linesPerSecond: 3);
        Assert.Equal([true, true, true, false, false], Enumerable.Range(0, 5).Select(_ => limiter.TryAcquire(out long _)).ToArray());

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(out long held));
        Assert.Equal(2, held);
        Assert.True(limiter.TryAcquire(out held));
        Assert.Equal(0, held);
    }
}
