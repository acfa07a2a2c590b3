using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace DhcpSharp.Benchmarks;

public static class Program
{
    /// <summary>
    /// Runs BenchmarkDotNet. Without a --job argument a short job is used (1 launch, 3 warmup,
    /// 10 measured iterations), which finishes the whole suite in a few minutes; pass
    /// e.g. "--job default" for the full statistical run.
    /// </summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal) || a == "-j"))
        {
            config = config.AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithId("Quick")
                .AsDefault());
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
