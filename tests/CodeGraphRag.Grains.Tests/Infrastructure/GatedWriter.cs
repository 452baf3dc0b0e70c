using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Grains.Tests.Infrastructure;

/// <summary>
/// An <see cref="IIndexWriter"/> decorator that can stop a sync at an exact point: after <c>n</c> file writes it either
/// holds further writes until released (to cancel deterministically mid-run) or throws (a backend failing mid-run).
/// </summary>
internal sealed class GatedWriter(IIndexWriter inner) : IIndexWriter
{
    private readonly Lock _gate = new();
    private int _writes;
    private int _holdAfter = int.MaxValue;
    private int _failAfter = int.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the hold point is reached.</summary>
    public Task Reached => _reached.Task;

    public void HoldAfter(int writes)
    {
        lock (_gate)
        {
            _writes = 0;
            _holdAfter = writes;
            _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void FailAfter(int writes)
    {
        lock (_gate)
        {
            _writes = 0;
            _failAfter = writes;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _holdAfter = int.MaxValue;
            _failAfter = int.MaxValue;
            _release.TrySetResult();
        }
    }

    public async Task ApplyFileAsync(FileUpdate update, CancellationToken cancellationToken = default)
    {
        Task? wait = null;
        lock (_gate)
        {
            _writes++;
            if (_writes > _failAfter)
            {
                throw new TimeoutException("simulated backend timeout");
            }

            if (_writes > _holdAfter)
            {
                _reached.TrySetResult();
                wait = _release.Task;
            }
        }

        if (wait is not null)
        {
            await wait.WaitAsync(cancellationToken);
        }

        await inner.ApplyFileAsync(update, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> GetEmbeddingKeysAsync(string repository, string path, CancellationToken cancellationToken = default)
        => inner.GetEmbeddingKeysAsync(repository, path, cancellationToken);

    public bool SupportsPendingVectors => inner.SupportsPendingVectors;

    public Task<IReadOnlyList<ChunkRecord>> GetChunksAwaitingVectorsAsync(string repository, int limit, CancellationToken cancellationToken = default)
        => inner.GetChunksAwaitingVectorsAsync(repository, limit, cancellationToken);

    public Task<long> CountChunksAwaitingVectorsAsync(string repository, CancellationToken cancellationToken = default)
        => inner.CountChunksAwaitingVectorsAsync(repository, cancellationToken);

    public Task<int> SetVectorsAsync(string repository, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default)
        => inner.SetVectorsAsync(repository, vectors, cancellationToken);

    public Task RemoveFilesAsync(string repository, IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default)
        => inner.RemoveFilesAsync(repository, paths, cancellationToken);

    public Task RemoveRepositoryAsync(string repository, CancellationToken cancellationToken = default)
        => inner.RemoveRepositoryAsync(repository, cancellationToken);
}
