using CodeGraphRag.Abstractions.Embeddings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>
/// The DI face of <see cref="OnnxEmbedder"/>: the ONNX model (about a second to load) is loaded on the first embedding,
/// so commands that never embed, or whose texts are all in the embedding cache, never pay for it.
/// </summary>
/// <remarks>
/// <see cref="Model"/> of a bundled model and <see cref="CountTokens(string, int)"/> need only the vocabulary; a model given by path
/// is loaded when its <see cref="Model"/> is first read, because its vector length comes from the ONNX graph.
/// </remarks>
internal sealed class LazyOnnxEmbedder : IEmbedder, IDisposable, IAsyncDisposable
{
    private readonly Lazy<ModelDescriptor> _descriptor;
    private readonly Lazy<WordPieceTokenizer> _tokenizer;
    private readonly Lazy<OnnxEmbedder> _embedder;

    public LazyOnnxEmbedder(IOptions<OnnxEmbeddingOptions> options, ILogger<OnnxEmbedder>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Reading Value runs the validators, so bad settings fail here, at start-up, not at the first embedding.
        var value = options.Value;
        _descriptor = new Lazy<ModelDescriptor>(() => ModelDescriptor.From(value));
        _tokenizer = new Lazy<WordPieceTokenizer>(() => new WordPieceTokenizer(_descriptor.Value));
        _embedder = new Lazy<OnnxEmbedder>(() => new OnnxEmbedder(value, logger, timeProvider));
    }

    public EmbeddingModelInfo Model => _embedder.IsValueCreated || _descriptor.Value.Dimensions is null
        ? _embedder.Value.Model
        : new EmbeddingModelInfo(_descriptor.Value.Id, _descriptor.Value.Dimensions.Value, _descriptor.Value.MaxTokens, PrecisionChoice.Name(_descriptor.Value.Precision));

    /// <summary>True once the ONNX model has been loaded.</summary>
    public bool IsLoaded => _embedder.IsValueCreated;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        var embedder = _embedder.IsValueCreated
            ? _embedder.Value
            : await Task.Run(() => _embedder.Value, cancellationToken).ConfigureAwait(false);
        return await embedder.EmbedAsync(texts, purpose, cancellationToken).ConfigureAwait(false);
    }

    public int CountTokens(string text, int limit) => _tokenizer.Value.CountTokens(text, limit);

    /// <inheritdoc/>
    public int CountTokens(ReadOnlySpan<char> text, int limit) => _tokenizer.Value.CountTokens(text, limit);

    /// <inheritdoc/>
    public bool CountsAddUpOverLines => true;

    public void Dispose()
    {
        if (_embedder.IsValueCreated)
        {
            _embedder.Value.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedder.IsValueCreated)
        {
            await _embedder.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}
