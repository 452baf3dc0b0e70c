using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CodeGraphRag.Evaluation;

/// <summary>A deterministic development/test split by a hash of the query id, so tuning never sees the reported queries.</summary>
/// <remarks>
/// A query goes to the dev part when the first 8 bytes of SHA-256(<c>"cgr-eval-split-v1:" + id</c>), read as
/// a big-endian fraction of 2^64, are below the dev fraction. The assignment depends on the id alone: it is
/// the same on every machine and run, and does not change when other queries are added. Thread-safe.
/// </remarks>
public static class EvalSplit
{
    /// <summary>Default share of queries used for tuning.</summary>
    public const double DefaultDevFraction = 0.3;

    private const string Salt = "cgr-eval-split-v1:";

    /// <summary>The part a query id belongs to.</summary>
    /// <param name="id">The query id.</param>
    /// <param name="devFraction">Share of ids that go to dev, in [0, 1].</param>
    /// <returns>Dev or test.</returns>
    public static EvalSplitPart Assign(string id, double devFraction = DefaultDevFraction)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!(devFraction is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(devFraction), devFraction, "The dev fraction must be between 0 and 1.");
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Salt + id), hash);
        var position = BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
        return position < devFraction ? EvalSplitPart.Dev : EvalSplitPart.Test;
    }

    /// <summary>Divides queries into dev and test, keeping their order.</summary>
    /// <param name="queries">The query set.</param>
    /// <param name="devFraction">Share of queries that go to dev, in [0, 1].</param>
    /// <returns>Both parts.</returns>
    public static EvalSplitResult Split(IEnumerable<EvalQuery> queries, double devFraction = DefaultDevFraction)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var dev = new List<EvalQuery>();
        var test = new List<EvalQuery>();
        foreach (var q in queries)
        {
            (Assign(q.Id, devFraction) == EvalSplitPart.Dev ? dev : test).Add(q);
        }

        return new EvalSplitResult(dev, test);
    }
}
