using CodeGraphRag.Embeddings.Internals;

namespace CodeGraphRag.Embeddings.Tests.Compilation;

/// <summary>The bundled source models, read once per test run, and a batch of token ids for comparing their outputs.</summary>
internal static class SourceModels
{
    private static readonly Lazy<byte[]> ArcticBytes = new(() => ModelDescriptor.From(new OnnxEmbeddingOptions()).ReadModelBytes());
    private static readonly Lazy<byte[]> MiniLmBytes = new(() => ModelDescriptor.From(new OnnxEmbeddingOptions { Model = "minilm" }).ReadModelBytes());

    public static byte[] Arctic => ArcticBytes.Value;

    public static byte[] MiniLm => MiniLmBytes.Value;

    public static byte[] Named(string model) => model == "minilm" ? MiniLm : Arctic;

    /// <summary>Token id sequences of different lengths ([CLS] ... [SEP]), so that padding and the mask matter.</summary>
    public static long[][] Batch()
    {
        var random = new Random(11);
        return [.. new[] { 3, 17, 64, 130, 9 }.Select(length =>
            new long[] { 101 }.Concat(Enumerable.Range(0, length).Select(_ => (long)random.Next(1000, 29000))).Append(102).ToArray())];
    }
}
