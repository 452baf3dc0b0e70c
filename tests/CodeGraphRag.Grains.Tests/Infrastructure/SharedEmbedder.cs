using CodeGraphRag.Embeddings;

namespace CodeGraphRag.Grains.Tests.Infrastructure;

/// <summary>One real ONNX embedder (ArcticXs) for every cluster in the test process: loading the model takes a second or two.</summary>
internal static class SharedEmbedder
{
    private static readonly Lazy<OnnxEmbedder> Lazy = new(() => new OnnxEmbedder(new OnnxEmbeddingOptions()));

    public static OnnxEmbedder Instance => Lazy.Value;
}
