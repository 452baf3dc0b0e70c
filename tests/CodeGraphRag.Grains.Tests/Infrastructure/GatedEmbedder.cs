using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Grains.Tests.Infrastructure;

/// <summary>
/// The shared real embedder, except that document embeddings wait until <see cref="Release"/> (an embedder far slower
/// than parsing, as on a CPU silo); queries are answered at once. <see cref="Abandon"/> ends the waiting calls without an
/// answer (as when the embedder silo goes away), so no request is left running when the cluster stops.
/// </summary>
internal sealed class GatedEmbedder : IEmbedder
{
    private readonly TaskCompletionSource<bool> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstDocumentCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _documentTexts;

    /// <summary>Completes when the first document embedding is asked for.</summary>
    public Task FirstDocumentCall => _firstDocumentCall.Task;

    /// <summary>Document texts embedded so far (after the release).</summary>
    public int DocumentTexts => Volatile.Read(ref _documentTexts);

    public EmbeddingModelInfo Model => SharedEmbedder.Instance.Model;

    public int CountTokens(string text, int limit) => SharedEmbedder.Instance.CountTokens(text, limit);

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        if (purpose == EmbeddingPurpose.Document)
        {
            _firstDocumentCall.TrySetResult();
            if (!await _released.Task.WaitAsync(cancellationToken))
            {
                throw new OperationCanceledException("abandoned by the test");
            }

            Interlocked.Add(ref _documentTexts, texts.Count);
        }

        return await SharedEmbedder.Instance.EmbedAsync(texts, purpose, cancellationToken);
    }

    public void Release() => _released.TrySetResult(true);

    public void Abandon() => _released.TrySetResult(false);
}
