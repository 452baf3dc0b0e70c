using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Retrieval.Priors;

/// <summary>
/// The file-class priors (section <c>CodeGraphRag:Search:ClassPriors</c>): a factor on the fused score of each class's
/// chunks, one table for short questions and one for long ones (problem descriptions). Code is never scored down unless
/// the question asks for another class; a class the question asks for (<see cref="QueryIntent"/>) keeps its full score.
/// </summary>
public sealed class ClassPriorOptions
{
    /// <summary>
    /// Factors for short queries, by class name (<c>test</c>, <c>docs</c>, <c>changelog</c>, <c>config</c>, <c>generated</c>,
    /// <c>example</c>, <c>benchmark</c>), each in [0, 1]; a class not listed keeps 1. Configuration sets single keys
    /// (<c>ClassPriors:Short:docs=0.8</c>) and keeps the other defaults. Defaults and how they were chosen:
    /// docs/benchmarks.md, "File classes, query intent and file results".
    /// </summary>
    public Dictionary<string, double> Short { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["test"] = 0.5,
        ["docs"] = 0.7,
        ["changelog"] = 0.3,
        ["config"] = 0.3,
        ["generated"] = 0.5,
        ["example"] = 0.7,
        ["benchmark"] = 0.5,
    };

    /// <summary>Factors for long queries (<c>Graph:LongQueryWords</c> words or more), as <see cref="Short"/>. Long queries ignore question words (an issue text that mentions tests still asks for the code).</summary>
    public Dictionary<string, double> Long { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["test"] = 0.5,
        ["docs"] = 0.5,
        ["changelog"] = 0.25,
        ["config"] = 0.25,
        ["generated"] = 0.5,
        ["example"] = 0.5,
        ["benchmark"] = 0.5,
    };

    /// <summary>
    /// Factor on code when a short question asks for another class (its words, a <c>kind:</c> filter, or a prose language
    /// filter), so the class asked for leads; in [0, 1], 1 leaves code alone.
    /// </summary>
    public double CodeWhenOtherAsked { get; set; } = 0.5;

    /// <summary>The factor of <paramref name="value"/> in one table (1 for code and for classes not listed).</summary>
    public static double Factor(IReadOnlyDictionary<string, double> table, FileClass value)
    {
        ArgumentNullException.ThrowIfNull(table);
        return value != FileClass.Code && table.TryGetValue(value.Name(), out var factor) ? factor : 1;
    }

    /// <summary>Every setting that is out of range, as <c>key: message</c> lines relative to this section.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var (tableName, table) in new[] { (nameof(Short), Short), (nameof(Long), Long) })
        {
            foreach (var (key, factor) in table ?? [])
            {
                if (!FileClasses.AllNames.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    yield return $"{tableName}:{key} is not a file class; use one of {string.Join(", ", FileClasses.AllNames)}.";
                }
                else if (!(factor is >= 0 and <= 1))
                {
                    yield return $"{tableName}:{key} must be between 0 and 1 (got {factor}).";
                }
            }
        }

        if (!(CodeWhenOtherAsked is >= 0 and <= 1))
        {
            yield return $"{nameof(CodeWhenOtherAsked)} must be between 0 and 1 (got {CodeWhenOtherAsked}).";
        }
    }
}
