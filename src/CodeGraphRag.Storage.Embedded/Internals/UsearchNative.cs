using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// Direct bindings to the C API of the native library that the Cloud.Unum.USearch package ships.
/// </summary>
/// <remarks>
/// CGR: the package's managed wrapper cannot reserve capacity, add from several threads or change
/// <c>expansion_search</c> after loading (see measured-here.md, section 4); the native library can.
/// </remarks>
internal static partial class UsearchNative
{
    private const string Library = "libusearch_c";

    [StructLayout(LayoutKind.Sequential)]
    internal struct InitOptions
    {
        public uint MetricKind;
        public nint Metric;
        public uint Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    public static uint Cosine => (uint)MetricKind.Cos;

    public static uint Float32 => (uint)ScalarKind.Float32;

    /// <summary>The native scalar kind the index stores vectors as.</summary>
    public static uint Storage(AnnVectorPrecision precision) => precision switch
    {
        AnnVectorPrecision.F32 => (uint)ScalarKind.Float32,
        AnnVectorPrecision.F16 => (uint)ScalarKind.Float16,
        AnnVectorPrecision.I8 => (uint)ScalarKind.Int8,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown ANN vector precision"),
    };

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    public static partial nint Init(ref InitOptions options, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    public static partial void Free(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_save", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Save(nint index, string path, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_load", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void Load(nint index, string path, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_view", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void View(nint index, string path, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_size")]
    public static partial nuint Size(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_capacity")]
    public static partial nuint Capacity(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_dimensions")]
    public static partial nuint Dimensions(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    public static partial void Reserve(nint index, nuint capacity, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_add")]
    public static partial void ChangeThreadsAdd(nint index, nuint threads, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_search")]
    public static partial void ChangeThreadsSearch(nint index, nuint threads, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_search")]
    public static partial void ChangeExpansionSearch(nint index, nuint expansion, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    public static unsafe partial void Add(nint index, ulong key, float* vector, uint kind, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_remove")]
    public static partial nuint Remove(nint index, ulong key, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_contains")]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool Contains(nint index, ulong key, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    public static unsafe partial nuint Search(nint index, float* query, uint kind, nuint count, ulong* keys, float* distances, out nint error);

    /// <summary>Copies the vector stored under <paramref name="key"/> (at most <paramref name="count"/> of them); returns how many were found.</summary>
    [LibraryImport(Library, EntryPoint = "usearch_get")]
    public static unsafe partial nuint Get(nint index, ulong key, nuint count, float* vectors, uint kind, out nint error);

    /// <summary>A search whose results are only keys for which <paramref name="filter"/> returns non-zero (tested during the traversal).</summary>
    [LibraryImport(Library, EntryPoint = "usearch_filtered_search")]
    public static unsafe partial nuint FilteredSearch(
        nint index, float* query, uint kind, nuint count, delegate* unmanaged[Cdecl]<ulong, nint, int> filter, nint filterState, ulong* keys, float* distances, out nint error);

    public static void ThrowIfError(nint error, string operation)
    {
        if (error != 0)
        {
            throw new EmbeddedStorageException($"USearch {operation}", Marshal.PtrToStringUTF8(error) ?? "unknown error", null);
        }
    }
}
