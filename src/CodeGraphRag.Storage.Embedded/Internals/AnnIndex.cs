using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// An HNSW index (cosine) over ulong keys, holding its vectors as <see cref="AnnVectorPrecision"/> (vectors go in and
/// come out as f32); the caller serialises mutations against searches.
/// </summary>
internal sealed class AnnIndex : IDisposable
{
    private nint _handle;

    private AnnIndex(nint handle, int dimensions)
    {
        _handle = handle;
        Dimensions = dimensions;
    }

    public int Dimensions { get; }

    public long Count
    {
        get
        {
            var size = UsearchNative.Size(_handle, out var error);
            UsearchNative.ThrowIfError(error, "size");
            return (long)size;
        }
    }

    public static AnnIndex Create(int dimensions, int connectivity, int expansionAdd, int expansionSearch, AnnVectorPrecision precision = AnnVectorPrecision.F32)
    {
        var options = NewOptions(dimensions, connectivity, expansionAdd, expansionSearch, precision);
        var handle = UsearchNative.Init(ref options, out var error);
        UsearchNative.ThrowIfError(error, "init");
        return new AnnIndex(handle, dimensions);
    }

    public static AnnIndex Load(string path, int dimensions, int expansionSearch) => Open(path, dimensions, expansionSearch, view: false);

    /// <summary>
    /// The saved index memory-mapped rather than read into memory: opening costs no reads, the pages are the file's
    /// (shared with other processes, loaded as searches touch them), and the index cannot change (<see cref="IsView"/>).
    /// The file must not be rewritten in place while viewed (saves write a new file and rename it over).
    /// </summary>
    public static AnnIndex View(string path, int dimensions, int expansionSearch) => Open(path, dimensions, expansionSearch, view: true);

    /// <summary>A memory-mapped, read-only index (<see cref="View"/>): adding or removing vectors is not possible.</summary>
    public bool IsView { get; private set; }

    private static AnnIndex Open(string path, int dimensions, int expansionSearch, bool view)
    {
        // CGR: loading takes the scalar kind from the file's header; the caller's metadata says which kind it saved.
        var options = NewOptions(dimensions, 0, 0, expansionSearch, AnnVectorPrecision.F32);
        var handle = UsearchNative.Init(ref options, out var error);
        UsearchNative.ThrowIfError(error, "init");
        var index = new AnnIndex(handle, dimensions) { IsView = view };
        try
        {
            if (view)
            {
                UsearchNative.View(handle, path, out error);
                UsearchNative.ThrowIfError(error, "view");
            }
            else
            {
                UsearchNative.Load(handle, path, out error);
                UsearchNative.ThrowIfError(error, "load");
            }

            var loadedDimensions = UsearchNative.Dimensions(handle, out error);
            UsearchNative.ThrowIfError(error, "dimensions");
            if ((int)loadedDimensions != dimensions)
            {
                throw new EmbeddedStorageException("USearch load", $"index at '{path}' has {loadedDimensions} dimensions, expected {dimensions}.", null);
            }

            UsearchNative.ChangeExpansionSearch(handle, (nuint)expansionSearch, out error);
            UsearchNative.ThrowIfError(error, "change_expansion_search");
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds vectors (unit length) in parallel after reserving room for them once, then re-links any the search cannot reach.
    /// Returns how many were re-linked.
    /// </summary>
    /// <remarks>
    /// CGR: USearch's concurrent add can leave a node stored but unreachable (unum-cloud/usearch#735: a node seeded from
    /// a half-linked neighbour loses its only inbound edge). Seen here as 1-2 of 200 vectors missing after a 2-thread build.
    /// </remarks>
    public unsafe int AddMany(IReadOnlyList<ulong> keys, float[] matrix, int threads) => AddMany(keys, matrix, threads, relink: true);

    /// <summary>
    /// As <see cref="AddMany(IReadOnlyList{ulong}, float[], int)"/>; without <paramref name="relink"/> the caller checks
    /// reachability itself (once after many batches: each check walks the whole graph).
    /// </summary>
    public unsafe int AddMany(IReadOnlyList<ulong> keys, float[] matrix, int threads, bool relink)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        threads = Math.Max(1, threads);
        UsearchNative.ChangeThreadsAdd(_handle, (nuint)threads, out var error);
        UsearchNative.ThrowIfError(error, "change_threads_add");
        UsearchNative.ChangeThreadsSearch(_handle, (nuint)threads, out error);
        UsearchNative.ThrowIfError(error, "change_threads_search");
        UsearchNative.Reserve(_handle, (nuint)(Count + keys.Count), out error);
        UsearchNative.ThrowIfError(error, "reserve");
        var handle = _handle;
        var dims = Dimensions;
        Parallel.For(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            fixed (float* p = &matrix[i * dims])
            {
                UsearchNative.Add(handle, keys[i], p, UsearchNative.Float32, out var addError);
                UsearchNative.ThrowIfError(addError, "add");
            }
        });
        if (threads == 1 || !relink)
        {
            return 0;
        }

        Dictionary<ulong, int>? rows = null;
        return RelinkUnreachable(keys, key =>
        {
            rows ??= Enumerable.Range(0, keys.Count).ToDictionary(i => keys[i]);
            return matrix.AsSpan(rows[key] * dims, dims).ToArray();
        });
    }

    /// <summary>The keys a search can reach: one search asking for every vector visits the whole reachable graph.</summary>
    public HashSet<ulong> ReachableKeys(ReadOnlySpan<float> from)
    {
        var total = (int)Math.Min(Count, int.MaxValue);
        return total == 0 ? [] : [.. Search(from, total).Keys];
    }

    /// <summary>
    /// Re-adds, one at a time, every key of <paramref name="keys"/> that a search starting from some of those keys' own
    /// vectors cannot reach, with the vector (unit length) <paramref name="vectorOf"/> gives; returns how many were re-added.
    /// </summary>
    /// <remarks>
    /// CGR: sequential adds and removes strand nodes too, more rarely (HNSW's neighbour pruning can drop a node's last
    /// inbound edge): 2-3 of 5,000 384-d vectors after ten rounds of replacing a tenth of them.
    /// The graph is directed, so one walk is not enough: parallel adds can leave a group of nodes (a fifth of 400
    /// clustered vectors, seen here) with edges out to the rest and none in; a walk that starts inside the group reaches
    /// everything, a search landing anywhere else never reaches the group. Walks from several random keys find such a
    /// group unless every one starts inside it; each walk visits the whole graph, so their number falls as it grows.
    /// </remarks>
    public int RelinkUnreachable(IReadOnlyList<ulong> keys, Func<ulong, float[]?> vectorOf)
    {
        var relinked = 0;
        var starts = StartVectors(keys, vectorOf, ReachabilityWalks(Count));

        // CGR: a re-added node's reverse links can prune another node's last inbound edge, so check again; single-threaded
        // adds settle in one or two rounds.
        for (var round = 0; round < 4 && starts.Count > 0; round++)
        {
            var stranded = new HashSet<ulong>();
            foreach (var from in starts)
            {
                var reachable = ReachableKeys(from);
                stranded.UnionWith(keys.Where(k => !reachable.Contains(k)));
            }

            if (stranded.Count == 0)
            {
                break;
            }

            foreach (var key in stranded)
            {
                if (vectorOf(key) is { } vector)
                {
                    Upsert(key, vector);
                    relinked++;
                }
            }
        }

        return relinked;
    }

    /// <summary>
    /// How many whole-graph walks one reachability check makes: eight on small graphs, fewer as a walk gets dearer
    /// (about 0.5 s at 104k 384-d vectors), never under two.
    /// </summary>
    internal static int ReachabilityWalks(long count) => (int)Math.Clamp(WalkVisitBudget / Math.Max(1, count), 2, 8);

    private const long WalkVisitBudget = 400_000;

    private static List<float[]> StartVectors(IReadOnlyList<ulong> keys, Func<ulong, float[]?> vectorOf, int walks)
    {
        var starts = new List<float[]>(walks);
        var picked = new HashSet<int>();
        for (var tries = 0; starts.Count < walks && picked.Count < keys.Count && tries < walks * 4; tries++)
        {
            var i = Random.Shared.Next(keys.Count);
            if (picked.Add(i) && vectorOf(keys[i]) is { } vector)
            {
                starts.Add(vector);
            }
        }

        return starts;
    }

    /// <summary>Adds or replaces one vector.</summary>
    public unsafe void Upsert(ulong key, ReadOnlySpan<float> vector)
    {
        Remove(key);
        var capacity = UsearchNative.Capacity(_handle, out var error);
        UsearchNative.ThrowIfError(error, "capacity");
        var size = Count;
        if ((long)capacity <= size)
        {
            // CGR: grow geometrically; the managed wrapper reserves size+1 on every add.
            UsearchNative.Reserve(_handle, (nuint)Math.Max(64, size * 2), out error);
            UsearchNative.ThrowIfError(error, "reserve");
        }

        fixed (float* p = vector)
        {
            UsearchNative.Add(_handle, key, p, UsearchNative.Float32, out error);
            UsearchNative.ThrowIfError(error, "add");
        }
    }

    /// <summary>Whether the index holds a vector under <paramref name="key"/>.</summary>
    public bool Contains(ulong key)
    {
        var contains = UsearchNative.Contains(_handle, key, out var error);
        UsearchNative.ThrowIfError(error, "contains");
        return contains;
    }

    public void Remove(ulong key)
    {
        var contains = UsearchNative.Contains(_handle, key, out var error);
        UsearchNative.ThrowIfError(error, "contains");
        if (contains)
        {
            UsearchNative.Remove(_handle, key, out error);
            UsearchNative.ThrowIfError(error, "remove");
        }
    }

    /// <summary>Up to <paramref name="count"/> nearest keys with cosine similarity (1 - distance).</summary>
    public unsafe (ulong[] Keys, float[] Similarities) Search(ReadOnlySpan<float> query, int count)
    {
        var keys = new ulong[count];
        var distances = new float[count];
        nuint found;
        fixed (float* q = query)
        fixed (ulong* k = keys)
        fixed (float* d = distances)
        {
            found = UsearchNative.Search(_handle, q, UsearchNative.Float32, (nuint)count, k, d, out var error);
            UsearchNative.ThrowIfError(error, "search");
        }

        var n = (int)found;
        var similarities = new float[n];
        for (var i = 0; i < n; i++)
        {
            similarities[i] = 1f - distances[i];
        }

        return (keys.AsSpan(0, n).ToArray(), similarities);
    }

    /// <summary>
    /// Up to <paramref name="count"/> nearest keys that <paramref name="allowed"/> contains, with cosine similarity; the
    /// filter is tested while the graph is searched, so no admitted neighbour is lost to over-fetching too little.
    /// </summary>
    public unsafe (ulong[] Keys, float[] Similarities) Search(ReadOnlySpan<float> query, int count, HashSet<ulong> allowed)
    {
        var keys = new ulong[count];
        var distances = new float[count];
        var state = GCHandle.Alloc(allowed);
        nuint found;
        try
        {
            fixed (float* q = query)
            fixed (ulong* k = keys)
            fixed (float* d = distances)
            {
                found = UsearchNative.FilteredSearch(_handle, q, UsearchNative.Float32, (nuint)count, &Admits, GCHandle.ToIntPtr(state), k, d, out var error);
                UsearchNative.ThrowIfError(error, "filtered_search");
            }
        }
        finally
        {
            state.Free();
        }

        var n = (int)found;
        var similarities = new float[n];
        for (var i = 0; i < n; i++)
        {
            similarities[i] = 1f - distances[i];
        }

        return (keys.AsSpan(0, n).ToArray(), similarities);
    }

    /// <summary>Copies the vector stored under <paramref name="key"/> (as added: unit length) into <paramref name="vector"/>; false when the key is absent.</summary>
    public unsafe bool TryGetVector(ulong key, Span<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The buffer has {vector.Length} elements; the index has {Dimensions} dimensions.", nameof(vector));
        }

        fixed (float* p = vector)
        {
            var found = UsearchNative.Get(_handle, key, 1, p, UsearchNative.Float32, out var error);
            UsearchNative.ThrowIfError(error, "get");
            return found > 0;
        }
    }

    public void Save(string path)
    {
        UsearchNative.Save(_handle, path, out var error);
        UsearchNative.ThrowIfError(error, "save");
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            UsearchNative.Free(_handle, out _);
            _handle = 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Admits(ulong key, nint state) => ((HashSet<ulong>)GCHandle.FromIntPtr(state).Target!).Contains(key) ? 1 : 0;

    private static UsearchNative.InitOptions NewOptions(int dimensions, int connectivity, int expansionAdd, int expansionSearch, AnnVectorPrecision precision) => new()
    {
        MetricKind = UsearchNative.Cosine,
        Metric = 0,
        Quantization = UsearchNative.Storage(precision),
        Dimensions = (nuint)dimensions,
        Connectivity = (nuint)connectivity,
        ExpansionAdd = (nuint)expansionAdd,
        ExpansionSearch = (nuint)expansionSearch,
        Multi = 0,
    };
}
