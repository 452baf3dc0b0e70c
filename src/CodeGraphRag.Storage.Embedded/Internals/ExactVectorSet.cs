using System.Numerics.Tensors;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>Unit vectors in one contiguous matrix for exact cosine search; the reference for the ANN index.</summary>
/// <remarks>Not thread-safe; the owner serialises access.</remarks>
internal sealed class ExactVectorSet
{
    private readonly Dictionary<ulong, int> _slots = [];
    private ulong[] _keys;
    private float[] _data;

    public ExactVectorSet(int dimensions, int capacity = 64)
    {
        Dimensions = dimensions;
        capacity = Math.Max(capacity, 16);
        _keys = new ulong[capacity];
        _data = new float[capacity * dimensions];
    }

    public int Dimensions { get; }

    public int Count { get; private set; }

    public IReadOnlyList<ulong> Keys => new ArraySegment<ulong>(_keys, 0, Count);

    /// <summary>The first <see cref="Count"/> rows, row-major.</summary>
    public float[] RawMatrix => _data;

    public void Upsert(ulong key, ReadOnlySpan<float> vector)
    {
        if (!_slots.TryGetValue(key, out var slot))
        {
            if (Count == _keys.Length)
            {
                Array.Resize(ref _keys, _keys.Length * 2);
                Array.Resize(ref _data, _data.Length * 2);
            }

            slot = Count++;
            _slots[key] = slot;
            _keys[slot] = key;
        }

        VectorCodec.Normalize(vector, _data.AsSpan(slot * Dimensions, Dimensions));
    }

    public bool Remove(ulong key)
    {
        if (!_slots.Remove(key, out var slot))
        {
            return false;
        }

        var last = Count - 1;
        if (slot != last)
        {
            var lastKey = _keys[last];
            _keys[slot] = lastKey;
            _data.AsSpan(last * Dimensions, Dimensions).CopyTo(_data.AsSpan(slot * Dimensions, Dimensions));
            _slots[lastKey] = slot;
        }

        Count = last;
        return true;
    }

    /// <summary>Top <paramref name="k"/> keys by cosine similarity, best first, optionally restricted to <paramref name="allowed"/>.</summary>
    public List<(ulong Key, float Score)> Search(ReadOnlySpan<float> unitQuery, int k, IReadOnlySet<ulong>? allowed = null) =>
        TopK(unitQuery, k, _keys, _data, Count, Dimensions, allowed);

    public static List<(ulong Key, float Score)> TopK(
        ReadOnlySpan<float> unitQuery, int k, ulong[] keys, float[] matrix, int count, int dimensions, IReadOnlySet<ulong>? allowed)
    {
        var heap = new PriorityQueue<(ulong Key, float Score), (float Score, ulong Key)>(k + 1, TopKComparer.Instance);
        for (var i = 0; i < count; i++)
        {
            var key = keys[i];
            if (allowed is not null && !allowed.Contains(key))
            {
                continue;
            }

            var score = TensorPrimitives.Dot(unitQuery, matrix.AsSpan(i * dimensions, dimensions));
            if (heap.Count < k)
            {
                heap.Enqueue((key, score), (score, key));
            }
            else if (heap.TryPeek(out _, out var worst) && TopKComparer.Instance.Compare((score, key), worst) > 0)
            {
                heap.DequeueEnqueue((key, score), (score, key));
            }
        }

        var result = new List<(ulong Key, float Score)>(heap.Count);
        while (heap.Count > 0)
        {
            result.Add(heap.Dequeue());
        }

        result.Reverse();
        return result;
    }

    /// <summary>Orders worse results first (lower score, then higher key) so the heap's root is the one to evict.</summary>
    private sealed class TopKComparer : IComparer<(float Score, ulong Key)>
    {
        public static readonly TopKComparer Instance = new();

        public int Compare((float Score, ulong Key) x, (float Score, ulong Key) y)
        {
            var byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : y.Key.CompareTo(x.Key);
        }
    }
}
