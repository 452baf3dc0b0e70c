
namespace CodeGraphRag.Api.Webhooks;

/// <summary>
/// Coalesces pushes per repository: a push while no webhook sync runs starts one; pushes while one runs schedule
/// exactly one follow-up sync, which starts after it finishes (so the follow-up sees every pushed commit).
/// </summary>
internal sealed partial class WebhookSyncScheduler(IWebhookSyncRunner runner, ILogger<WebhookSyncScheduler> logger) : IDisposable
{
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>What <see cref="Schedule"/> did.</summary>
    public enum Outcome
    {
        /// <summary>A sync started now.</summary>
        Started,

        /// <summary>A sync is running; one follow-up sync will run after it.</summary>
        Queued,
    }

    public Outcome Schedule(string repository)
    {
        lock (_states)
        {
            if (!_states.TryGetValue(repository, out var state))
            {
                state = new State();
                _states[repository] = state;
            }

            if (state.Running is not null)
            {
                state.Pending = true;
                return Outcome.Queued;
            }

            state.Running = Task.Run(() => LoopAsync(repository, state));
            return Outcome.Started;
        }
    }

    /// <summary>Completes when no webhook sync of <paramref name="repository"/> is running or queued (for tests and shutdown).</summary>
    public Task IdleAsync(string repository)
    {
        lock (_states)
        {
            return _states.TryGetValue(repository, out var state) && state.Running is { } running ? running : Task.CompletedTask;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task LoopAsync(string repository, State state)
    {
        while (true)
        {
            try
            {
                await runner.RunAsync(repository, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSyncFailed(logger, repository, ex);
            }

            lock (_states)
            {
                if (!state.Pending)
                {
                    state.Running = null;
                    return;
                }

                state.Pending = false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook sync of {Repository} failed")]
    private static partial void LogSyncFailed(ILogger logger, string repository, Exception exception);

    private sealed class State
    {
        public Task? Running { get; set; }

        public bool Pending { get; set; }
    }
}
