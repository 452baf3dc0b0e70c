using System.Diagnostics;
using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.Embeddings.Compilation;
using CodeGraphRag.Embeddings.Internals;
using Microsoft.ML.OnnxRuntime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeGraphRag.Embeddings;

/// <summary>
/// Embeds texts with a BERT-style ONNX model (snowflake-arctic-embed-xs by default) on ONNX Runtime: WordPiece
/// tokenization, length-sorted micro-batches shared by all concurrent callers, the model's own pooling, L2 norm.
/// </summary>
/// <remarks>
/// Thread-safe. Loading takes about a second (the model is ~90 MB), so hosts create it once, lazily
/// (<c>AddCodeGraphRagEmbeddings</c> does). Dispose stops the batch worker and then releases the session.
/// </remarks>
public sealed partial class OnnxEmbedder : IEmbedder, IDisposable, IAsyncDisposable
{
    /// <summary>Requests with at least this many texts are tokenized on several threads.</summary>
    private const int ParallelTokenizationThreshold = 64;

    private readonly ModelDescriptor _descriptor;
    private readonly WordPieceTokenizer _tokenizer;
    private readonly OnnxBertSession _session;
    private readonly EmbeddingBatcher _batcher;
    private int _disposed;

    /// <summary>Loads the configured model and starts the batch worker.</summary>
    /// <param name="options">Model and runtime settings; validated here.</param>
    /// <param name="logger">Receives one line with the load time.</param>
    /// <param name="timeProvider">Clock for the batch wait; the system clock by default.</param>
    /// <exception cref="EmbeddingException">The options are invalid (every problem on its own line) or the model fails to load.</exception>
    public OnnxEmbedder(OnnxEmbeddingOptions options, ILogger<OnnxEmbedder>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OnnxEmbeddingOptionsValidator.Collect(options);
        if (failures.Count > 0)
        {
            throw new EmbeddingException(string.Join(Environment.NewLine, failures));
        }

        var log = logger ?? NullLogger<OnnxEmbedder>.Instance;
        var started = Stopwatch.GetTimestamp();
        _ = DeviceSpec.TryParse(options.Device, out var device);
        _descriptor = ModelDescriptor.From(options);
        _tokenizer = new WordPieceTokenizer(_descriptor);
        try
        {
            _session = OpenSession(options, device, log);
        }
        catch (Exception ex) when (ex is not EmbeddingException)
        {
            throw new EmbeddingException($"Could not load embedding model {_descriptor.Id}: {ex.Message}", ex);
        }

        Model = new EmbeddingModelInfo(_descriptor.Id, _session.Dimensions, _descriptor.MaxTokens, Precision);
        _batcher = new EmbeddingBatcher(_session.Run, options.EffectiveBatchSize, options.MaxQueue, options.MaxWait, timeProvider ?? TimeProvider.System, options.EffectiveBatchTokens);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogLoaded(log, Model.Id, Model.Dimensions, elapsedMs, device.IsCuda ? Constants.DeviceCuda : Constants.DeviceCpu, Precision);
    }

    /// <inheritdoc/>
    public EmbeddingModelInfo Model { get; }

    /// <summary>The precision the model runs at: <c>fp32</c>, <c>int8</c> or <c>fp16</c> (the <c>Precision</c> setting resolved; <c>auto</c> never).</summary>
    public string Precision => PrecisionChoice.Name(_descriptor.Precision);

    /// <summary>The prefix put before <see cref="EmbeddingPurpose.Query"/> texts (empty when the model has none).</summary>
    public string QueryPrefix => _descriptor.QueryPrefix;

    /// <summary>Model calls made so far and the texts they held.</summary>
    public (long Batches, long Texts) BatchStats => _batcher.Stats;

    /// <inheritdoc/>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var prefix = purpose == EmbeddingPurpose.Query ? _descriptor.QueryPrefix : string.Empty;
        var inputs = new long[texts.Count][];
        if (inputs.Length >= ParallelTokenizationThreshold && Environment.ProcessorCount > 1)
        {
            // A large request (a bulk caller, a benchmark) would otherwise leave the model idle while one thread
            // tokenizes; on a GPU, tokenizing thousands of texts serially costs as much as embedding them.
            Parallel.For(0, inputs.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => inputs[i] = Encode(texts[i], prefix));
        }
        else
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = Encode(texts[i], prefix);
            }
        }

        return await _batcher.EmbedAsync(inputs, urgent: purpose == EmbeddingPurpose.Query, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public int CountTokens(string text, int limit) => _tokenizer.CountTokens(text, limit);

    /// <inheritdoc/>
    public int CountTokens(ReadOnlySpan<char> text, int limit) => _tokenizer.CountTokens(text, limit);

    /// <inheritdoc/>
    public bool CountsAddUpOverLines => _tokenizer.CountsAddUpOverLines;

    /// <summary>Tokenizer instances created so far: grows with the threads that tokenized at the same time.</summary>
    internal int TokenizerInstances => _tokenizer.Instances;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The worker may be inside Run: ask ORT to stop, and release the session only once the worker has ended.
        _batcher.Stop();
        _session.Terminate();
        _ = _batcher.Completion.ContinueWith(static (_, s) => ((OnnxBertSession)s!).Dispose(), _session, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _session.Terminate();
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _session.Dispose();
    }

    private long[] Encode(string? text, string prefix)
    {
        text ??= string.Empty;
        return _tokenizer.Encode(prefix.Length == 0 ? text : prefix + text);
    }

    /// <summary>
    /// Opens the session on the prepared model for the configured precision (pooling and normalisation in the graph). An
    /// fp32 model the compiler cannot read runs as it is, pooled here; for int8 that is an error. A kept prepared model
    /// that fails to load is compiled again, once.
    /// </summary>
    private OnnxBertSession OpenSession(OnnxEmbeddingOptions options, DeviceSpec device, ILogger log)
    {
        var threads = options.IntraOpThreads ?? Environment.ProcessorCount;
        var source = _descriptor.ReadModelBytes();
        var reduced = _descriptor.Precision != ModelPrecision.Fp32;
        var target = new ModelTarget(_descriptor.Precision, _descriptor.Pooling);
        byte[] prepared;
        try
        {
            prepared = PreparedModels.GetOrCompile(source, target, options.PreparedModelDirectory, log);
        }
        catch (ModelCompilationException ex) when (!reduced)
        {
            LogNotPrepared(log, _descriptor.Id, ex.Message);
            return new OnnxBertSession(source, _descriptor.Pooling, threads, device);
        }
        catch (ModelCompilationException ex)
        {
            throw new EmbeddingException($"{Constants.ConfigSection}:Precision={Precision}: the model compiler could not prepare {_descriptor.Id}: {ex.Message}", ex);
        }

        try
        {
            return new OnnxBertSession(prepared, _descriptor.Pooling, threads, device);
        }
        catch (OnnxRuntimeException) when (!string.IsNullOrEmpty(options.PreparedModelDirectory))
        {
            prepared = PreparedModels.GetOrCompile(source, target, options.PreparedModelDirectory, log, rebuild: true);
            return new OnnxBertSession(prepared, _descriptor.Pooling, threads, device);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding model {ModelId} runs unprepared (token states pooled outside the graph): {Reason}")]
    private static partial void LogNotPrepared(ILogger logger, string modelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding model {ModelId} ({Dimensions} dims) loaded in {ElapsedMs:F0} ms on {Device} at {Precision}")]
    private static partial void LogLoaded(ILogger logger, string modelId, int dimensions, double elapsedMs, string device, string precision);
}
