using CodeGraphRag.Api.Webhooks;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class WebhookSyncSchedulerTests
{
    /// <summary>A runner whose runs finish only when the test releases them.</summary>
    private sealed class GatedRunner : IWebhookSyncRunner
    {
        private readonly Lock _lock = new();
        private readonly List<TaskCompletionSource> _gates = [];
        private readonly SemaphoreSlim _started = new(0);

        public int Runs
        {
            get
            {
                lock (_lock)
                {
                    return _gates.Count;
                }
            }
        }

        public async Task RunAsync(string repository, CancellationToken cancellationToken)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _gates.Add(gate);
            }

            _started.Release();
            await gate.Task;
        }

        public Task WaitStartedAsync() => _started.WaitAsync(TestContext.Current.CancellationToken);

        public void Release(int index)
        {
            lock (_lock)
            {
                _gates[index].SetResult();
            }
        }
    }

    [Fact]
    public async Task Schedule_BurstDuringRunningSync_ExactlyOneFollowUp()
    {
        var runner = new GatedRunner();
        using var scheduler = new WebhookSyncScheduler(runner, NullLogger<WebhookSyncScheduler>.Instance);

        Assert.Equal(WebhookSyncScheduler.Outcome.Started, scheduler.Schedule("r"));
        await runner.WaitStartedAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(WebhookSyncScheduler.Outcome.Queued, scheduler.Schedule("r"));
        }

        runner.Release(0);
        await runner.WaitStartedAsync();
        Assert.Equal(2, runner.Runs);
        runner.Release(1);
        await scheduler.IdleAsync("r");
        Assert.Equal(2, runner.Runs);

        // Idle again: the next push starts a new sync at once.
        Assert.Equal(WebhookSyncScheduler.Outcome.Started, scheduler.Schedule("r"));
        await runner.WaitStartedAsync();
        runner.Release(2);
        await scheduler.IdleAsync("r");
        Assert.Equal(3, runner.Runs);
    }

    [Fact]
    public async Task Schedule_DifferentRepositories_RunIndependently()
    {
        var runner = new GatedRunner();
        using var scheduler = new WebhookSyncScheduler(runner, NullLogger<WebhookSyncScheduler>.Instance);
        Assert.Equal(WebhookSyncScheduler.Outcome.Started, scheduler.Schedule("a"));
        Assert.Equal(WebhookSyncScheduler.Outcome.Started, scheduler.Schedule("b"));
        await runner.WaitStartedAsync();
        await runner.WaitStartedAsync();
        runner.Release(0);
        runner.Release(1);
        await scheduler.IdleAsync("a");
        await scheduler.IdleAsync("b");
        Assert.Equal(2, runner.Runs);
    }

    [Fact]
    public async Task Schedule_FailingRun_FollowUpStillRuns()
    {
        var calls = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new DelegateRunner(async () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                started.SetResult();
                await gate.Task;
                throw new InvalidOperationException("clone failed");
            }
        });
        using var scheduler = new WebhookSyncScheduler(runner, NullLogger<WebhookSyncScheduler>.Instance);
        scheduler.Schedule("r");
        await started.Task;
        scheduler.Schedule("r");
        gate.SetResult();
        await scheduler.IdleAsync("r");
        Assert.Equal(2, calls);
    }

    private sealed class DelegateRunner(Func<Task> run) : IWebhookSyncRunner
    {
        public Task RunAsync(string repository, CancellationToken cancellationToken) => run();
    }
}
