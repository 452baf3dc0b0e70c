namespace CodeGraphRag.Embeddings.Tests;

/// <summary>One loaded snowflake-arctic-embed-xs embedder shared by the tests of a collection (loading takes ~1 s).</summary>
public sealed class ArcticFixture : IAsyncLifetime
{
    public OnnxEmbedder Embedder { get; } = new(new OnnxEmbeddingOptions { IntraOpThreads = 2 });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => Embedder.DisposeAsync();
}

/// <summary>One loaded all-MiniLM-L6-v2 embedder.</summary>
public sealed class MiniLmFixture : IAsyncLifetime
{
    public OnnxEmbedder Embedder { get; } = new(new OnnxEmbeddingOptions { Model = "minilm", IntraOpThreads = 2 });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => Embedder.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ArcticCollection : ICollectionFixture<ArcticFixture>
{
    public const string Name = "arctic-xs model";
}
