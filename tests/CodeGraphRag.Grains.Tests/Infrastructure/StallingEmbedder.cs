using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Grains.Tests.Infrastructure;

/// <summary>
/// The shared real embedder, except that chosen calls never answer (as when a message to or from the embedder silo is
/// lost): the first <see cref="StallQueries"/> query calls and the first <see cref="StallDocuments"/> document calls wait
/// until <see cref="Release"/>.
/// </summary>
internal sealed class StallingEmbedder : IEmbedder
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _queryCalls;
    private int _documentCalls;
    private int _stalled;

    public int StallQueries { get; init; }

    public int StallDocuments { get; init; }

    public int QueryCalls => Volatile.Read(ref _queryCalls);

    public int DocumentCalls => Volatile.Read(ref _documentCalls);

    public int Stalled => Volatile.Read(ref _stalled);

    public EmbeddingModelInfo Model => SharedEmbedder.Instance.Model;

    public int CountTokens(string text, int limit) => SharedEmbedder.Instance.CountTokens(text, limit);

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        var call = purpose == EmbeddingPurpose.Query ? Interlocked.Increment(ref _queryCalls) : Interlocked.Increment(ref _documentCalls);
        if (call <= (purpose == EmbeddingPurpose.Query ? StallQueries : StallDocuments))
        {
            Interlocked.Increment(ref _stalled);

            // The caller's token is not observed: a lost message is not cancelled either.
            await _released.Task;
            throw new OperationCanceledException("released by the test");
        }

        return await SharedEmbedder.Instance.EmbedAsync(texts, purpose, cancellationToken);
    }

    /// <summary>Ends every stalled call (before the cluster stops, so that no request is left running).</summary>
    public void Release() => _released.TrySetResult();
}
