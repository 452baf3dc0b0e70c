using System.Text.Json;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Milvus.Internals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeGraphRag.Storage.Milvus;

/// <summary>
/// The chunk half of the split backend on Milvus (REST API v2, Milvus 2.5+): one collection for every repository with the
/// repository as partition key, a COSINE dense index and a BM25 function over the identifier-split lexical text.
/// </summary>
/// <remarks>
/// <para>
/// The collection is created (schema, then explicit index creation and load) or validated on first use, or eagerly by
/// <see cref="EnsureCollectionAsync"/>; a collection with another schema (for example another vector dimension) is refused
/// with a <see cref="MilvusException"/> naming the collection, the field and what was expected and found.
/// </para>
/// <para>
/// Thread-safe; one instance per process. It does not own the <see cref="HttpClient"/> (the caller or the HTTP client factory
/// does). Transient failures are retried by the client's resilience handler; everything else surfaces as
/// <see cref="MilvusException"/>. Writes are idempotent upserts and deletes, so retrying a failed call converges.
/// </para>
/// </remarks>
public sealed partial class MilvusChunkIndex : IChunkIndex
{
    private readonly MilvusRestClient _rest;
    private readonly MilvusOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _readyGate = new();
    private Task? _ready;

    /// <summary>Creates the index over <paramref name="httpClient"/>, which should carry the retry handler (see <see cref="CreateHttpClient"/>).</summary>
    /// <param name="httpClient">Sends the requests; not disposed by this instance.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="timeProvider">Clock for load polling; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public MilvusChunkIndex(HttpClient httpClient, MilvusOptions options, TimeProvider? timeProvider = null, ILogger<MilvusChunkIndex>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _rest = new MilvusRestClient(httpClient, options);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The collection this index reads and writes.</summary>
    public string Collection => _options.Collection;

    /// <summary>
    /// An <see cref="HttpClient"/> whose handler retries transient failures and times out each attempt as configured,
    /// sending through <paramref name="innerHandler"/> (a new <see cref="SocketsHttpHandler"/> when null).
    /// </summary>
    /// <remarks>For hosts without the HTTP client factory and for tests; the DI registration builds the same pipeline. The caller disposes the client.</remarks>
    public static HttpClient CreateHttpClient(MilvusOptions options, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // CGR: a bounded connection lifetime lets a long-lived client follow DNS changes of the Milvus service.
        innerHandler ??= new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(MilvusResilience.CreateHandler(options, innerHandler))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Creates the collection (schema, indexes, load) when missing, otherwise validates it, creates missing indexes and loads it.</summary>
    /// <remarks>Runs once per instance; concurrent callers share the run, and a failed run is retried by the next call.</remarks>
    /// <exception cref="MilvusException">Milvus failed, or the existing collection does not match the options.</exception>
    public Task EnsureCollectionAsync(CancellationToken cancellationToken = default) => EnsureReadyAsync(cancellationToken);

    /// <summary>Drops the collection and everything in it (tests and re-indexing); the next call creates it again.</summary>
    public async Task DropCollectionAsync(CancellationToken cancellationToken = default)
    {
        lock (_readyGate)
        {
            _ready = null;
        }

        await _rest.PostAsync("collections/drop", "DropCollection", JsonBody.Object(_rest.WriteTarget), cancellationToken).ConfigureAwait(false);
    }

    private Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_readyGate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                // CGR: the shared run ignores any one caller's token so a cancelled caller cannot fail the others.
                _ready = EnsureCoreAsync(CancellationToken.None);
            }

            ready = _ready;
        }

        return ready.IsCompletedSuccessfully ? Task.CompletedTask : ready.WaitAsync(cancellationToken);
    }

    private async Task EnsureCoreAsync(CancellationToken cancellationToken)
    {
        const string operation = "EnsureCollection";
        var target = JsonBody.Object(_rest.WriteTarget);
        IReadOnlyList<string> missingIndexes;
        if (await ExistsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var description = await _rest.PostAsync("collections/describe", operation, target, cancellationToken).ConfigureAwait(false);
            missingIndexes = CollectionSchema.Validate(description, _options);
        }
        else
        {
            LogCreating(_logger, _options.Collection, _options.Dimensions, _options.Shards);
            missingIndexes = await CreateAsync(target, cancellationToken).ConfigureAwait(false);
        }

        if (missingIndexes.Count > 0)
        {
            await _rest.PostAsync("indexes/create", operation, CollectionSchema.CreateIndexBody(_rest, _options, missingIndexes), cancellationToken).ConfigureAwait(false);
        }

        await LoadAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the collection; when creation fails because another process just created it, validates that one instead.</summary>
    private async Task<IReadOnlyList<string>> CreateAsync(byte[] target, CancellationToken cancellationToken)
    {
        const string operation = "EnsureCollection";
        try
        {
            await _rest.PostAsync("collections/create", operation, CollectionSchema.CreateBody(_rest, _options), cancellationToken).ConfigureAwait(false);
            return CollectionSchema.Indexes.Select(i => i.Field).ToList();
        }
        catch (MilvusException)
        {
            if (!await ExistsAsync(target, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        var description = await _rest.PostAsync("collections/describe", operation, target, cancellationToken).ConfigureAwait(false);
        return CollectionSchema.Validate(description, _options);
    }

    private async Task<bool> ExistsAsync(byte[] target, CancellationToken cancellationToken)
    {
        var has = await _rest.PostAsync("collections/has", "EnsureCollection", target, cancellationToken).ConfigureAwait(false);
        return has.ValueKind == JsonValueKind.Object && has.TryGetProperty("has", out var exists) && exists.ValueKind == JsonValueKind.True;
    }

    private async Task LoadAsync(byte[] target, CancellationToken cancellationToken)
    {
        const string operation = "LoadCollection";
        if (await LoadStateAsync(target, cancellationToken).ConfigureAwait(false) == Constants.LoadStateLoaded)
        {
            return;
        }

        LogLoading(_logger, _options.Collection);
        await _rest.PostAsync("collections/load", operation, target, cancellationToken).ConfigureAwait(false);
        var deadline = _timeProvider.GetTimestamp();
        while (true)
        {
            var state = await LoadStateAsync(target, cancellationToken).ConfigureAwait(false);
            if (state == Constants.LoadStateLoaded)
            {
                return;
            }

            if (_timeProvider.GetElapsedTime(deadline) > _options.LoadTimeout)
            {
                throw new MilvusException(operation, _options.Collection, null, null, $"the collection did not load within {_options.LoadTimeout} (state {state}).");
            }

            await Task.Delay(_options.LoadPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> LoadStateAsync(byte[] target, CancellationToken cancellationToken)
    {
        var data = await _rest.PostAsync("collections/get_load_state", "LoadCollection", target, cancellationToken).ConfigureAwait(false);
        return data.ValueKind == JsonValueKind.Object && data.TryGetProperty("loadState", out var state) ? state.GetString() : null;
    }

    [LoggerMessage(1, LogLevel.Information, "Creating Milvus collection {Collection} ({Dimensions} dimensions, {Shards} shards)")]
    private static partial void LogCreating(ILogger logger, string collection, int dimensions, int shards);

    [LoggerMessage(2, LogLevel.Information, "Loading Milvus collection {Collection}")]
    private static partial void LogLoading(ILogger logger, string collection);
}
