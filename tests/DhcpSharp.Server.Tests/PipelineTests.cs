using System.Net;
using DhcpSharp.Protocol;
using DhcpSharp.Protocol.Options;
using DhcpSharp.Server.Diagnostics;
using DhcpSharp.Server.Engine;
using DhcpSharp.Server.Leases;
using DhcpSharp.Server.Pipeline;

namespace DhcpSharp.Server.Tests;

/// <summary>The stage contract: order, continue/respond/drop, failures, custom stages around the engine's.</summary>
public class PipelineTests
{
    private static DhcpRequestContext Context(DhcpMessageType type = DhcpMessageType.Discover, int mac = 1)
    {
        var message = new DhcpMessage { TransactionId = 7, ClientHardwareAddress = EngineHarness.Mac(mac) };
        message.MessageType = type;
        return new DhcpRequestContext(DhcpMessage.Parse(message.ToArray()), EngineHarness.Ingress, new IPEndPoint(IPAddress.Any, 68), DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task Stages_run_by_order_and_equal_orders_keep_the_order_they_were_added_in()
    {
        var seen = new List<string>();
        var pipeline = new RequestPipelineBuilder<DhcpRequestContext>()
            .Add(new Probe("c", seen), 300)
            .Add(new Probe("a", seen), 100)
            .Add(new Probe("b1", seen), 200)
            .Add(new Probe("b2", seen), 200)
            .Build();

        var result = await pipeline.RunAsync(Context(), CancellationToken.None);

        Assert.Equal(StageOutcome.Continue, result.Outcome);
        Assert.Equal(["a", "b1", "b2", "c"], seen);
    }

    [Fact]
    public async Task Respond_stops_the_run_and_sends_the_reply_the_context_holds()
    {
        var seen = new List<string>();
        using var metrics = new DhcpServerMetrics();
        var stages = new RequestPipelineBuilder<DhcpRequestContext>()
            .Add(new Probe("first", seen), 1)
            .Add(new Responder(), 2)
            .Add(new Probe("never", seen), 3)
            .Build();
        var handler = new DhcpPipeline(stages, metrics);

        var response = await handler.HandleAsync(Context(), CancellationToken.None);

        Assert.NotNull(response);
        Assert.Equal(DhcpMessageType.Nak, response.Reply.MessageType);
        Assert.Equal(ReplyDelivery.Broadcast, response.Delivery);
        Assert.Equal(["first"], seen);
    }

    [Fact]
    public async Task A_drop_is_counted_once_and_a_stage_that_throws_costs_only_its_request()
    {
        using var metrics = new DhcpServerMetrics();
        var failures = new List<Exception>();
        var dropping = new DhcpPipeline(new RequestPipelineBuilder<DhcpRequestContext>().Add(new Dropper(), 1).Build(), metrics);
        var throwing = new DhcpPipeline(new RequestPipelineBuilder<DhcpRequestContext>().Add(new Thrower(async: false), 1).Add(new Thrower(async: true), 2).Build(), metrics);
        var late = new DhcpPipeline(new RequestPipelineBuilder<DhcpRequestContext>().Add(new Thrower(async: true), 1).Build(), metrics);
        throwing.RequestFailed += (_, e) => failures.Add(e.Exception);
        late.RequestFailed += (_, e) => failures.Add(e.Exception);

        Assert.Null(await dropping.HandleAsync(Context(), CancellationToken.None));
        Assert.Null(await throwing.HandleAsync(Context(), CancellationToken.None));
        Assert.Null(await late.HandleAsync(Context(), CancellationToken.None));

        Assert.Equal(3, metrics.Dropped);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, e => Assert.IsType<InvalidOperationException>(e));
    }

    [Fact]
    public async Task A_stage_before_allocation_drops_before_any_lease_work_and_one_after_it_sees_the_reply()
    {
        var harness = new EngineHarness();
        using var metrics = new DhcpServerMetrics();
        var limiter = new Dropper();
        var stages = harness.Engine.AddStages(new RequestPipelineBuilder<DhcpRequestContext>().UseValidation())
            .Add(limiter, DhcpStageOrder.RateLimit)
            .Add(new ReplyEditor(), DhcpStageOrder.Allocation + 50)
            .UseUnhandledDrop("no configured subnet for this request")
            .Build();
        var handler = new DhcpPipeline(stages, metrics);

        limiter.Enabled = true;
        Assert.Null(await handler.HandleAsync(Context(), CancellationToken.None));
        Assert.Empty(await harness.Engine.Leases.Store.ListAsync(CancellationToken.None));

        limiter.Enabled = false;
        var response = await handler.HandleAsync(Context(), CancellationToken.None);
        Assert.NotNull(response);
        Assert.Equal(DhcpMessageType.Offer, response.Reply.MessageType);
        Assert.Equal("edited", response.Reply.Options.GetOrDefault(DhcpOptions.Message, ""));
        Assert.Single(await harness.Engine.Leases.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Subnet_selection_runs_once_and_an_unserved_request_is_dropped_at_the_end()
    {
        var harness = new EngineHarness();
        var elsewhere = new IngressInterface("other0", 9, IPv4Address.Parse("198.51.100.1"));
        var message = harness.NewRequest(DhcpMessageType.Discover, EngineHarness.Mac(5));

        Assert.Null(await harness.SendAsync(message, elsewhere));
        Assert.Equal(1, harness.Engine.Metrics.Dropped);
        Assert.Empty(await harness.Engine.Leases.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Only_stages_that_say_so_count_as_library_code()
    {
        var seen = new List<string>();
        var pipeline = new RequestPipelineBuilder<DhcpRequestContext>()
            .UseValidation()
            .Add(new FollowsProbe(seen), 10)
            .Add(new Probe("user", seen), 20)
            .Add(new FollowsProbe(seen), 30)
            .UseUnhandledDrop("x")
            .Build();

        await pipeline.RunAsync(Context(), CancellationToken.None);

        // Before the user's stage, user code follows; after it, only library stages remain.
        Assert.Equal(["follows=True", "user", "follows=False"], seen);
    }

    private sealed class Probe(string name, List<string> seen) : IRequestStage<DhcpRequestContext>
    {
        public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
        {
            seen.Add(name);
            return StageResult.ContinueTask;
        }
    }

    private sealed class FollowsProbe(List<string> seen) : IRequestStage<DhcpRequestContext>, IUserCodeStage
    {
        public bool RunsUserCode => false;

        public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
        {
            seen.Add($"follows={context.UserCodeFollows}");
            return StageResult.ContinueTask;
        }
    }

    private sealed class Responder : IRequestStage<DhcpRequestContext>
    {
        public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
        {
            context.Reply = context.Request.CreateReply(DhcpMessageType.Nak);
            return ValueTask.FromResult(StageResult.Respond);
        }
    }

    private sealed class Dropper : IRequestStage<DhcpRequestContext>
    {
        public bool Enabled { get; set; } = true;

        public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Enabled ? StageResult.Drop("rate limited") : StageResult.Continue);
    }

    private sealed class Thrower(bool async) : IRequestStage<DhcpRequestContext>
    {
        public async ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
        {
            if (async)
            {
                await Task.Yield();
            }

            throw new InvalidOperationException("stage failed");
        }
    }

    private sealed class ReplyEditor : IRequestStage<DhcpRequestContext>
    {
        public ValueTask<StageResult> InvokeAsync(DhcpRequestContext context, CancellationToken cancellationToken)
        {
            context.Reply?.Options.Set(DhcpOptions.Message, "edited");
            return StageResult.ContinueTask;
        }
    }
}
