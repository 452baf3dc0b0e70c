using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Storage.Milvus.Tests;

/// <summary>Options, index and chunks shared by the wire-format tests.</summary>
internal static class MilvusTestSetup
{
    public static MilvusOptions Options(Action<MilvusOptions>? change = null)
    {
        var options = new MilvusOptions
        {
            Url = "http://milvus.test:19530",
            Token = "root:Milvus",
            Collection = "cgr_chunks",
            Shards = 2,
            Dimensions = 4,
            ModelId = "test-model@1",
            RequestTimeout = TimeSpan.FromSeconds(30),
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.Zero,
            LoadPollInterval = TimeSpan.Zero,
        };
        change?.Invoke(options);
        return options;
    }

    public static MilvusChunkIndex Index(FakeMilvus server, Action<MilvusOptions>? change = null)
    {
        var options = Options(change);
        return new MilvusChunkIndex(MilvusChunkIndex.CreateHttpClient(options, server), options);
    }

    public static ChunkRecord Chunk(string id, string text, string path = "src/a.py", int line = 1, string repository = "r") =>
        new(id, repository, path, "python", "f", ChunkKind.Function, line, line + 1, text, "h-" + id, "k-" + id, text.ToLowerInvariant(), null);

    public static IReadOnlyDictionary<string, float[]> Vectors(params (string Id, float[] Vector)[] vectors) =>
        vectors.ToDictionary(v => v.Id, v => v.Vector);
}
