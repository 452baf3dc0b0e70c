using System.Collections.Concurrent;
using CodeGraphRag.Embeddings.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Embeddings.Tests.Internals;

[Trait("Category", TestCategories.Unit)]
public sealed class EmbeddingBatcherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_CallersQueuedBehindABusyModel_AreServedInFullLengthSortedBatches()
    {
        var model = new GatedModel();
        await using var batcher = new EmbeddingBatcher(model.Run, batchSize: 8, maxQueue: 256, maxWait: TimeSpan.Zero, TimeProvider.System);
        var first = batcher.EmbedAsync([Ids(1, 5)], urgent: false, Ct);
        await model.Entered.WaitAsync(Ct);

        // Ten callers with two texts each arrive while the model is busy with the first.
        var callers = Enumerable.Range(0, 10)
            .Select(c => batcher.EmbedAsync([Ids(100 + (2 * c), 3 + c), Ids(101 + (2 * c), 20 - c)], urgent: false, Ct))
            .ToArray();
        model.Release();
        var results = await Task.WhenAll(callers);
        await first;

        Assert.Equal([1, 8, 8, 4], model.BatchSizes);
        Assert.All(model.Batches.Skip(1), b => Assert.True(b.SequenceEqual(b.Order()), "a batch is sorted by length"));
        for (var c = 0; c < callers.Length; c++)
        {
            Assert.Equal(100 + (2 * c), results[c][0][0]);
            Assert.Equal(101 + (2 * c), results[c][1][0]);
        }
    }

    [Fact]
    public async Task EmbedAsync_TokenBound_LongTextsGoInSmallerBatchesAndAnOverlongOneAlone()
    {
        var model = new GatedModel();
        await using var batcher = new EmbeddingBatcher(model.Run, batchSize: 8, maxQueue: 256, maxWait: TimeSpan.Zero, TimeProvider.System, batchTokens: 100);
        var first = batcher.EmbedAsync([Ids(1, 5)], urgent: false, Ct);
        await model.Entered.WaitAsync(Ct);

        // Twelve short texts (10 tokens), four of 40 tokens and one of 150 (over the bound on its own).
        int[] lengths = [.. Enumerable.Repeat(10, 12), .. Enumerable.Repeat(40, 4), 150];
        var request = batcher.EmbedAsync([.. lengths.Select((length, i) => Ids(100 + i, length))], urgent: false, Ct);
        model.Release();
        var vectors = await request;
        await first;

        // Short texts fill batches of eight (80 tokens); the 10s left over go with no 40 (2 x 40 = 80, 3 x 40 = 120 > 100).
        Assert.Equal([[5], [10, 10, 10, 10, 10, 10, 10, 10], [10, 10, 10, 10], [40, 40], [40, 40], [150]], model.Batches.ToArray());
        Assert.All(model.Batches.Where(b => b.Length > 1), b => Assert.True(b.Length * b.Max() <= 100, "a batch stays within the token bound"));
        Assert.Equal(Enumerable.Range(100, lengths.Length).Select(i => (float)i), vectors.Select(v => v[0]));
    }

    [Fact]
    public async Task EmbedAsync_UrgentBehindQueuedWork_RunsInTheNextBatch()
    {
        var model = new GatedModel();
        await using var batcher = new EmbeddingBatcher(model.Run, batchSize: 2, maxQueue: 64, maxWait: TimeSpan.Zero, TimeProvider.System);
        var busy = batcher.EmbedAsync([Ids(1, 4)], urgent: false, Ct);
        await model.Entered.WaitAsync(Ct);
        var work = Enumerable.Range(0, 6).Select(i => batcher.EmbedAsync([Ids(10 + i, 3), Ids(20 + i, 3)], urgent: false, Ct)).ToArray();

        var query = batcher.EmbedAsync([Ids(99, 30)], urgent: true, Ct);
        model.Release();
        await Task.WhenAll(work);

        Assert.Equal(99f, (await query)[0][0]);
        Assert.Equal([1L, 99L], model.FirstIds.Take(2));
        await busy;
    }

    [Fact]
    public async Task EmbedAsync_QueueFull_WaitsInsteadOfFailing()
    {
        var model = new GatedModel();
        await using var batcher = new EmbeddingBatcher(model.Run, batchSize: 2, maxQueue: 2, maxWait: TimeSpan.Zero, TimeProvider.System);
        var busy = batcher.EmbedAsync([Ids(1, 4), Ids(2, 4)], urgent: false, Ct);
        await model.Entered.WaitAsync(Ct);

        var queued = batcher.EmbedAsync([Ids(3, 4), Ids(4, 4)], urgent: false, Ct);
        var held = batcher.EmbedAsync([Ids(5, 4), Ids(6, 4), Ids(7, 4)], urgent: false, Ct);

        Assert.Equal(1, batcher.QueuedSegments);
        Assert.False(held.IsCompleted);
        model.Release();
        var results = await Task.WhenAll(busy, queued, held);
        Assert.Equal([5f, 6f, 7f], results[2].Select(v => v[0]));
        Assert.Equal(7, model.BatchSizes.Sum());
    }

    [Fact]
    public async Task EmbedAsync_CancelledWhileQueued_ThrowsAndSkipsItsTexts()
    {
        var model = new GatedModel();
        await using var batcher = new EmbeddingBatcher(model.Run, batchSize: 4, maxQueue: 64, maxWait: TimeSpan.Zero, TimeProvider.System);
        var busy = batcher.EmbedAsync([Ids(1, 4)], urgent: false, Ct);
        await model.Entered.WaitAsync(Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var cancelled = batcher.EmbedAsync([Ids(50, 4), Ids(51, 4)], urgent: false, cancel.Token);
        var kept = batcher.EmbedAsync([Ids(60, 4)], urgent: false, Ct);
        await cancel.CancelAsync();
        model.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(60f, (await kept)[0][0]);
        await busy;
        Assert.DoesNotContain(model.FirstIds, id => id is 50 or 51);
    }

    [Fact]
    public async Task EmbedAsync_ModelThrows_FailsOnlyThatBatchAndKeepsServing()
    {
        var calls = 0;
        await using var batcher = new EmbeddingBatcher(
            batch => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("boom") : batch.Select(ids => new[] { (float)ids[0] }).ToArray(),
            batchSize: 4,
            maxQueue: 16,
            maxWait: TimeSpan.Zero,
            TimeProvider.System);

        var failure = await Assert.ThrowsAsync<EmbeddingException>(() => batcher.EmbedAsync([Ids(1, 3)], urgent: false, Ct));
        var next = await batcher.EmbedAsync([Ids(2, 3)], urgent: false, Ct);

        Assert.Contains("boom", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2f, next[0][0]);
    }

    [Fact]
    public async Task EmbedAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var batcher = new EmbeddingBatcher(b => b.Select(_ => new[] { 1f }).ToArray(), 4, 16, TimeSpan.Zero, TimeProvider.System);
        await batcher.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.EmbedAsync([Ids(1, 3)], urgent: false, Ct));
    }

    /// <summary>Token ids whose first element identifies the text and whose length is <paramref name="length"/>.</summary>
    private static long[] Ids(long id, int length)
    {
        var ids = new long[length];
        Array.Fill(ids, 7);
        ids[0] = id;
        return ids;
    }

    /// <summary>A model whose first call blocks until released; each vector is the text's first id.</summary>
    private sealed class GatedModel
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _gate = new(false);
        private readonly ConcurrentQueue<int[]> _batches = new();
        private readonly ConcurrentQueue<long> _firstIds = new();

        public Task Entered => _entered.Task;

        public int[] BatchSizes => [.. _batches.Select(b => b.Length)];

        public IEnumerable<int[]> Batches => _batches;

        public IEnumerable<long> FirstIds => _firstIds;

        public void Release() => _gate.Set();

        public float[][] Run(IReadOnlyList<long[]> batch)
        {
            _batches.Enqueue([.. batch.Select(ids => ids.Length)]);
            foreach (var ids in batch)
            {
                _firstIds.Enqueue(ids[0]);
            }

            _entered.TrySetResult();
            _gate.Wait(TimeSpan.FromSeconds(30));
            return [.. batch.Select(ids => new[] { (float)ids[0] })];
        }
    }
}
