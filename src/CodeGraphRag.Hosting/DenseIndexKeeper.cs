using CodeGraphRag.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Hosting;

/// <summary>
/// Keeps the embedded store's in-memory dense index up to date with the written vectors, every
/// <see cref="EmbeddedStorageOptions.DenseCatchUpInterval"/>: a bulk index goes into the ANN index while the syncs run
/// (on the cores they leave), so the first search after it does not add everything at once, holding every other search.
/// </summary>
/// <remarks>
/// Does nothing when the interval is zero or the chunks live elsewhere (Milvus): the store is resolved only when it runs.
/// A failed catch-up is logged and tried again at the next tick (the next search would retry it too).
/// </remarks>
internal sealed partial class DenseIndexKeeper(IServiceProvider services, IOptions<EmbeddedStorageOptions> options, ILogger<DenseIndexKeeper> logger) : BackgroundService
{
    private EmbeddedStore? _store;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.DenseCatchUpInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, services.GetService<TimeProvider>() ?? TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!await TickAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    /// <summary>The commit sequence the dense index reflects after the last successful catch-up (-1 before the first).</summary>
    internal long CaughtUpTo { get; private set; } = -1;

    /// <summary>One catch-up; false when the keeper should stop (the store cannot be opened).</summary>
    internal async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        // CGR: resolved at the first tick, not at start: a host that never opens its store (or cannot: the data directory
        // locked by another writer) keeps running and reports that itself; the keeper just stops.
        try
        {
            _store ??= services.GetRequiredService<EmbeddedStore>();
        }
        catch (Exception ex) when (ex is EmbeddedStorageException or DataDirectoryLockedException or DataDirectoryAccessException or DatabaseDamagedException or OptionsValidationException)
        {
            LogNoStore(logger, ex);
            return false;
        }

        try
        {
            var before = CaughtUpTo;
            CaughtUpTo = await _store.CatchUpDenseIndexAsync(cancellationToken).ConfigureAwait(false);
            if (CaughtUpTo != before)
            {
                LogCaughtUp(logger, CaughtUpTo);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not ObjectDisposedException)
        {
            LogFailed(logger, ex);
        }

        return true;
    }

    [LoggerMessage(1, LogLevel.Debug, "Dense index caught up to commit {Sequence}")]
    private static partial void LogCaughtUp(ILogger logger, long sequence);

    [LoggerMessage(2, LogLevel.Warning, "Background catch-up of the dense index failed; the next tick or search retries it")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "The embedded store could not be opened; the dense index is kept up to date by searches only")]
    private static partial void LogNoStore(ILogger logger, Exception exception);
}
