using System.Numerics.Tensors;

namespace CodeGraphRag.Embeddings.Tests;

internal static class VectorAssert
{
    public static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);

    public static void Same(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }

        Assert.True(worst <= tolerance, $"largest component difference {worst} exceeds {tolerance}");
    }
}
