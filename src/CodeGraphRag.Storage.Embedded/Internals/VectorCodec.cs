using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>float32 vectors as little-endian blobs, and unit normalisation.</summary>
internal static class VectorCodec
{
    public static byte[] ToBlob(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    public static float[] FromBlob(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> scaled to unit length (zero vectors stay zero).</summary>
    public static void Normalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        var norm = TensorPrimitives.Norm(source);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(source, norm, destination);
        }
        else
        {
            destination.Clear();
        }
    }

    public static float[] Normalized(ReadOnlySpan<float> source)
    {
        var result = new float[source.Length];
        Normalize(source, result);
        return result;
    }
}
