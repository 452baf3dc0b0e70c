using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CodeGraphRag.Abstractions.Embeddings;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr bench --doc-vectors synthetic</c>: documents get a deterministic pseudo-random unit vector seeded by their
/// text (so a 100k-chunk index builds in minutes instead of an hour of CPU embedding), queries are embedded by the
/// real model. Vectors are stored under a model id of their own, so they never mix with real vectors or the real
/// embedding cache in a data directory, and a normal <c>cgr search</c> on such a directory finds no dense hits.
/// </summary>
/// <remarks>Dense hits against synthetic documents are arbitrary chunks: the index is for latency, never for quality.</remarks>
internal sealed class SyntheticDocumentEmbedder(IEmbedder inner) : IEmbedder
{
    /// <summary>Appended to the real model id.</summary>
    public const string ModelSuffix = "+synthetic-doc-vectors";

    /// <summary>The real embedder: queries go to it, and the benchmark times it for real document vectors.</summary>
    public IEmbedder Inner => inner;

    /// <inheritdoc/>
    public EmbeddingModelInfo Model { get; } = inner.Model with { Id = inner.Model.Id + ModelSuffix };

    /// <inheritdoc/>
    public int CountTokens(string text, int limit) => inner.CountTokens(text, limit);

    /// <inheritdoc/>
    public int CountTokens(ReadOnlySpan<char> text, int limit) => inner.CountTokens(text, limit);

    public bool CountsAddUpOverLines => inner.CountsAddUpOverLines;

    /// <inheritdoc/>
    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, EmbeddingPurpose purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return purpose == EmbeddingPurpose.Query
            ? inner.EmbedAsync(texts, purpose, cancellationToken)
            : Task.FromResult(texts.Select(t => Vector(t, Model.Dimensions)).ToArray());
    }

    /// <summary>A unit vector of <paramref name="dimensions"/> components, a pure function of <paramref name="text"/>.</summary>
    public static float[] Vector(string text, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(text);
        var seed = BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var random = new Random(seed);
        var vector = new float[dimensions];
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            // A centred value per component: the direction is uniform enough for latency measurements.
            var value = (float)(random.NextDouble() - 0.5);
            vector[i] = value;
            norm += value * value;
        }

        var scale = (float)(1 / Math.Sqrt(Math.Max(norm, 1e-12)));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }
}
