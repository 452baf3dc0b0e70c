using System.Threading.Channels;

namespace CodeGraphRag.Embeddings.Internals;

/// <summary>
/// Micro-batches token sequences from many concurrent callers into full model batches: a bounded queue, a batch bounded
/// by texts and by padded tokens (texts x the longest text), and a short wait for part-filled batches. Callers are held
/// back (awaiting) while the queue is full.
/// </summary>
/// <remarks>
/// One worker runs the model, so the model delegate needs no thread safety. Within a request, and among the texts that
/// are waiting together, texts are sorted by token length so that a batch pads only to its own longest text; results
/// go back to each caller in the caller's order. Urgent requests (search queries) have their own queue and go into the
/// next batch, so a query is not stuck behind a repository's worth of queued chunks.
/// </remarks>
internal sealed class EmbeddingBatcher : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<long[]>, float[][]> _runBatch;
    private readonly int _batchSize;
    private readonly int _batchTokens;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private readonly Channel<Slot[]> _queue;
    private readonly Channel<Slot[]> _urgent;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private long _batches;
    private long _texts;

    /// <param name="runBatch">Runs the model on one batch.</param>
    /// <param name="batchSize">Most texts in one batch.</param>
    /// <param name="maxQueue">About how many texts may wait before callers are held back.</param>
    /// <param name="maxWait">How long a part-filled batch waits for more texts.</param>
    /// <param name="time">Clock for that wait.</param>
    /// <param name="batchTokens">
    /// Most padded tokens in one batch (texts x the longest): long texts go in smaller batches, so a batch's memory and
    /// time stay bounded; a single text longer than this still runs, alone. Null: no bound beyond <paramref name="batchSize"/>.
    /// </param>
    public EmbeddingBatcher(Func<IReadOnlyList<long[]>, float[][]> runBatch, int batchSize, int maxQueue, TimeSpan maxWait, TimeProvider time, int? batchTokens = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueue, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchTokens ?? 1, 1);
        _runBatch = runBatch;
        _batchSize = batchSize;
        _batchTokens = batchTokens ?? int.MaxValue;
        _maxWait = maxWait;
        _time = time;

        // The queue holds segments of at most one batch each, so its capacity in texts is about maxQueue.
        var capacity = Math.Max(1, (maxQueue + batchSize - 1) / batchSize);
        var queueOptions = new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        };
        _queue = Channel.CreateBounded<Slot[]>(queueOptions);
        _urgent = Channel.CreateBounded<Slot[]>(queueOptions);
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Completes when the worker has stopped (after <see cref="DisposeAsync"/>).</summary>
    public Task Completion => _worker;

    /// <summary>Number of model calls so far, and how many texts they held (for tests and diagnostics).</summary>
    public (long Batches, long Texts) Stats => (Interlocked.Read(ref _batches), Interlocked.Read(ref _texts));

    /// <summary>Segments (of up to one batch each) waiting in the queue.</summary>
    public int QueuedSegments => _queue.Reader.Count;

    /// <summary>Embeds <paramref name="inputs"/>; the result is in the same order.</summary>
    /// <param name="inputs">Token id sequences.</param>
    /// <param name="urgent">Serve ahead of queued non-urgent texts (for queries).</param>
    /// <param name="cancellationToken">Cancels the wait and drops the request's texts that have not run yet.</param>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<long[]> inputs, bool urgent, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            return [];
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);

        var request = new Request(inputs.Count);
        var slots = new Slot[inputs.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new Slot(request, i, inputs[i], urgent);
        }

        // Sorting the whole request first makes each segment hold texts of similar length.
        Array.Sort(slots, SlotOrder.Instance);

        // The request itself is cancelled (not just the caller's wait), so the worker skips its texts.
        using var registration = cancellationToken.Register(static (state, token) => ((Request)state!).Completion.TrySetCanceled(token), request);
        var writer = urgent ? _urgent.Writer : _queue.Writer;
        try
        {
            for (var start = 0; start < slots.Length; start += _batchSize)
            {
                var segment = slots.AsSpan(start, Math.Min(_batchSize, slots.Length - start)).ToArray();
                await writer.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ChannelClosedException ex)
        {
            request.Completion.TrySetException(new ObjectDisposedException(nameof(EmbeddingBatcher), ex));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            request.Completion.TrySetCanceled(cancellationToken);
        }

        return await request.Completion.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _urgent.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    /// <summary>Signals the worker to stop without waiting for it.</summary>
    public void Stop()
    {
        _queue.Writer.TryComplete();
        _urgent.Writer.TryComplete();
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }
    }

    private async Task RunAsync()
    {
        var pending = new List<Slot>(_batchSize * 4);
        var stop = _stopping.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (pending.Count == 0 && !await WaitToReadAsync(stop).ConfigureAwait(false))
                {
                    break;
                }

                Drain(pending);
                if (pending.Count < _batchSize && _maxWait > TimeSpan.Zero)
                {
                    await WaitForMoreAsync(pending, stop).ConfigureAwait(false);
                }

                pending.RemoveAll(static s => s.Request.Completion.Task.IsCompleted);
                if (pending.Count == 0)
                {
                    continue;
                }

                // Full batches run now; a part-filled tail of long texts waits one more round unless nothing else came.
                pending.Sort(SlotOrder.Instance);
                var moreQueued = _queue.Reader.Count + _urgent.Reader.Count > 0;
                var ran = 0;
                while (ran < pending.Count && !stop.IsCancellationRequested)
                {
                    var take = NextBatch(pending, ran);
                    var full = take == _batchSize || ran + take < pending.Count;
                    if (!full && ran > 0 && moreQueued)
                    {
                        break;
                    }

                    RunOne(pending.GetRange(ran, take));
                    ran += take;
                    if (_urgent.Reader.Count > 0)
                    {
                        // A query arrived: it goes into the very next batch, the rest of this round waits for it.
                        break;
                    }
                }

                pending.RemoveRange(0, ran);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            var disposed = new ObjectDisposedException(nameof(EmbeddingBatcher));
            foreach (var slot in pending)
            {
                slot.Request.Completion.TrySetException(disposed);
            }

            foreach (var reader in (ChannelReader<Slot[]>[])[_urgent.Reader, _queue.Reader])
            {
                while (reader.TryRead(out var segment))
                {
                    foreach (var slot in segment)
                    {
                        slot.Request.Completion.TrySetException(disposed);
                    }
                }
            }
        }
    }

    /// <summary>
    /// How many texts from <paramref name="start"/> go in the next batch: up to the batch size, while the padded size
    /// (texts x the longest so far) stays within the token bound; at least one.
    /// </summary>
    private int NextBatch(List<Slot> pending, int start)
    {
        var count = 0;
        var width = 0;
        while (start + count < pending.Count && count < _batchSize)
        {
            var next = Math.Max(width, pending[start + count].Ids.Length);
            if (count > 0 && (long)next * (count + 1) > _batchTokens)
            {
                break;
            }

            width = next;
            count++;
        }

        return count;
    }

    private async Task WaitForMoreAsync(List<Slot> pending, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(_maxWait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            while (pending.Count < _batchSize && await WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                Drain(pending);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until either queue has a segment; false once both are closed.</summary>
    private async Task<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        if (_urgent.Reader.Count > 0 || _queue.Reader.Count > 0)
        {
            return true;
        }

        // The losing wait is cancelled so idle rounds leave no waiters behind on the quieter queue.
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var urgent = _urgent.Reader.WaitToReadAsync(race.Token).AsTask();
        var normal = _queue.Reader.WaitToReadAsync(race.Token).AsTask();
        var first = await Task.WhenAny(urgent, normal).ConfigureAwait(false);
        var open = await first.ConfigureAwait(false);
        if (!open)
        {
            var other = first == urgent ? normal : urgent;
            open = await other.ConfigureAwait(false);
        }

        await race.CancelAsync().ConfigureAwait(false);
        await ((Task)Task.WhenAll(urgent, normal)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return open;
    }

    private void Drain(List<Slot> pending)
    {
        // Urgent texts are taken first and always; others are bounded so a flood of small requests is still taken in
        // rounds of a few batches.
        while (_urgent.Reader.TryRead(out var urgent))
        {
            pending.AddRange(urgent);
        }

        while (pending.Count < _batchSize * 4 && _queue.Reader.TryRead(out var segment))
        {
            pending.AddRange(segment);
        }
    }

    private void RunOne(List<Slot> batch)
    {
        var live = batch.FindAll(static s => !s.Request.Completion.Task.IsCompleted);
        if (live.Count == 0)
        {
            return;
        }

        float[][] vectors;
        try
        {
            var inputs = new long[live.Count][];
            for (var i = 0; i < live.Count; i++)
            {
                inputs[i] = live[i].Ids;
            }

            vectors = _runBatch(inputs);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _texts, live.Count);
        }
        catch (Exception ex)
        {
            var failure = ex is EmbeddingException ? ex : new EmbeddingException($"Embedding inference failed: {ex.Message}", ex);
            foreach (var slot in live)
            {
                slot.Request.Completion.TrySetException(failure);
            }

            return;
        }

        for (var i = 0; i < live.Count; i++)
        {
            live[i].Request.Complete(live[i].Index, vectors[i]);
        }
    }

    private sealed class Request(int count)
    {
        private readonly float[][] _results = new float[count][];
        private int _remaining = count;

        public TaskCompletionSource<float[][]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(int index, float[] vector)
        {
            _results[index] = vector;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                Completion.TrySetResult(_results);
            }
        }
    }

    private readonly record struct Slot(Request Request, int Index, long[] Ids, bool Urgent);

    /// <summary>Urgent texts first (they go into the next batch), then by token length.</summary>
    private sealed class SlotOrder : IComparer<Slot>
    {
        public static readonly SlotOrder Instance = new();

        public int Compare(Slot x, Slot y) =>
            x.Urgent != y.Urgent ? (x.Urgent ? -1 : 1) : x.Ids.Length.CompareTo(y.Ids.Length);
    }
}
