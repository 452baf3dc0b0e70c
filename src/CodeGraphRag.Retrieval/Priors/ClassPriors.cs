using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Graph;

namespace CodeGraphRag.Retrieval.Priors;

/// <summary>
/// The one place file classes weigh on ranking: after fusion, each candidate's score is multiplied by its class's factor
/// for this query (<see cref="For"/>), and the list is re-ranked. Thread-safe.
/// </summary>
public static class ClassPriors
{
    /// <summary>
    /// The factor of every class for one query: none when the query has a path filter (the caller chose the files);
    /// otherwise the long or short table of <paramref name="options"/>, with the classes the query asks for (short queries'
    /// words, any query's <c>kind:</c> filter, a prose language filter for docs and changelogs) at 1 and code at
    /// <see cref="ClassPriorOptions.CodeWhenOtherAsked"/> when they do not include code.
    /// </summary>
    /// <param name="text">The query text without its inline filters.</param>
    /// <param name="longQuery">Whether the query is long.</param>
    /// <param name="filter">The query's filters.</param>
    /// <param name="options">The tables.</param>
    /// <returns>Factor per class (index: the class's value); null when every factor is 1.</returns>
    public static double[]? For(string text, bool longQuery, ChunkFilter filter, ClassPriorOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(filter.PathGlob))
        {
            return null;
        }

        var asked = new List<FileClass>(longQuery ? [] : QueryIntent.Detect(text));
        asked.AddRange(filter.Classes ?? []);
        if (filter.Languages is { } languages && languages.Any(l => l is "markdown" or "text"))
        {
            asked.AddRange([FileClass.Docs, FileClass.Changelog]);
        }

        var table = longQuery ? options.Long : options.Short;
        var factors = new double[FileClasses.All.Count];
        var any = false;
        foreach (var value in FileClasses.All)
        {
            var factor = asked.Contains(value) ? 1
                : value == FileClass.Code ? (asked.Count > 0 ? options.CodeWhenOtherAsked : 1)
                : ClassPriorOptions.Factor(table, value);
            factors[(int)value] = factor;
            any |= factor != 1;
        }

        return any ? factors : null;
    }

    /// <summary>
    /// The candidates with each score times its class's factor (noted under <see cref="ScoreKeys.ClassPrior"/> when it
    /// is not 1), re-ranked (stable); the same list when <paramref name="factors"/> is null.
    /// </summary>
    /// <param name="candidates">Fused candidates, best first.</param>
    /// <param name="classOf">The class of a candidate's chunk, or null when unknown (left as it is).</param>
    /// <param name="factors">From <see cref="For"/>.</param>
    public static List<GraphCandidate> Apply(List<GraphCandidate> candidates, Func<string, FileClass?> classOf, double[]? factors)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(classOf);
        if (factors is null)
        {
            return candidates;
        }

        return candidates
            .Select(c => classOf(c.ChunkId) is { } value && factors[(int)value] is var factor && factor != 1
                ? c with
                {
                    Score = c.Score * factor,
                    Scores = new Dictionary<string, double>(c.Scores ?? new Dictionary<string, double> { [ScoreKeys.Rrf] = c.Score }, StringComparer.Ordinal)
                    {
                        [ScoreKeys.ClassPrior] = factor,
                    },
                }
                : c)
            .OrderByDescending(c => c.Score)
            .ToList();
    }
}
