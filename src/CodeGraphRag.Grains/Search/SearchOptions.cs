using CodeGraphRag.Retrieval.Graph;

namespace CodeGraphRag.Grains.Search;

/// <summary>Query pipeline settings, section <c>CodeGraphRag:Search</c>.</summary>
public sealed class SearchOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CodeGraphRag:Search";

    /// <summary>Candidates taken from each of dense and lexical search before fusion.</summary>
    public int CandidatePool { get; set; } = 60;

    /// <summary>The k of reciprocal rank fusion.</summary>
    public int RrfK { get; set; } = 60;

    /// <summary>Weight of the dense list in reciprocal rank fusion for short queries (fewer than Graph:LongQueryWords words).</summary>
    public double DenseWeight { get; set; } = 1;

    /// <summary>Weight of the lexical list in reciprocal rank fusion for short queries.</summary>
    public double LexicalWeight { get; set; } = 1;

    /// <summary>Weight of the dense list for long queries (problem descriptions, issue texts: Graph:LongQueryWords words or more).</summary>
    public double LongQueryDenseWeight { get; set; } = 1;

    /// <summary>
    /// Weight of the lexical list for long queries. Kept at 1: 0.5 won on a development set of other SWE-bench Lite
    /// projects (flask + seaborn, 7 issues: hybrid+graph nDCG@10 0.813 vs 0.762, but from 2 issues, 95 % CI +0.000 ..
    /// +0.137) and lost on both reported sets (requests -0.038, pytest -0.098); docs/benchmarks.md.
    /// </summary>
    public double LongQueryLexicalWeight { get; set; } = 1;

    /// <summary>
    /// Factor on the fused score of prose chunks (<see cref="ProseLanguages"/>) for long queries, in every mode, before
    /// the graph stage; 1 turns it off. A problem description asks for the code to change, while changelogs, release
    /// notes and narrative docs repeat every feature's words. Not applied when the query's language filter names a prose
    /// language. 0.5 was chosen on the development set (flask + seaborn: hybrid+graph nDCG@10 0.770 -> 0.786, 0.25 the
    /// same) and then improved every mode on both reported sets (requests hybrid+graph 0.596 -> 0.615, lexical 0.663 ->
    /// 0.702; pytest 0.581 -> 0.586, lexical 0.495 -> 0.582); docs/benchmarks.md.
    /// </summary>
    public double LongQueryProseWeight { get; set; } = 0.5;

    /// <summary>
    /// Factor on the fused score of test code (<see cref="Retrieval.Priors.TestPaths"/>) for long queries, in every mode,
    /// before the graph stage; 1 turns it off. Not applied when the query has a path filter. A problem description asks
    /// for the code to change, and tests repeat its words. 0.5 was chosen on the development set (flask, seaborn, xarray,
    /// pylint: hybrid+graph nDCG@10 0.634 -> 0.676, 0.25 the same), then improved every mode on the reported sets
    /// (hybrid+graph 0.625 -> 0.669 over 23 issues); docs/benchmarks.md.
    /// </summary>
    public double LongQueryTestWeight { get; set; } = 0.5;

    /// <summary>
    /// Factor on the fused score of prose chunks for short queries (fewer than Graph:LongQueryWords words), as
    /// <see cref="LongQueryProseWeight"/>; 1 (the default) turns it off. Off because short questions often ask for the
    /// docs: on this repository's own set (docs/eval/codegraphrag-short.jsonl.gz, 38 code and 8 documentation questions)
    /// 0.5 lost in every mode (hybrid+graph nDCG@10 0.640 -> 0.569); docs/benchmarks.md.
    /// </summary>
    public double ProseWeight { get; set; } = 1;

    /// <summary>
    /// Factor on the fused score of test code for short queries, as <see cref="LongQueryTestWeight"/>; 1 turns it off.
    /// Not applied when the query has a path filter or asks for tests itself (the word test, tests, testing, spec or
    /// specs). 0.5 was chosen on half of this repository's own set (hybrid+graph nDCG@10 0.582 -> 0.678) and held on the
    /// other half (0.697 -> 0.781, every mode better); 0.25 ranked the same; docs/benchmarks.md.
    /// </summary>
    public double TestWeight { get; set; } = 0.5;

    /// <summary>
    /// Comma-separated languages counted as prose by <see cref="LongQueryProseWeight"/>: Markdown and "text"
    /// (reStructuredText, plain text, unknown extensions). A string, not a list: configuration binding appends to a list's
    /// defaults instead of replacing them.
    /// </summary>
    public string ProseLanguages { get; set; } = "markdown,text";

    /// <summary>The languages of <see cref="ProseLanguages"/>, trimmed, empty entries dropped.</summary>
    public IReadOnlySet<string> ProseLanguageSet() =>
        (ProseLanguages ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether long queries are searched without the lines that only pair a name with a version (an issue's
    /// <c>pip list</c> or <c>show_versions()</c> dump), in every mode. Chosen on the development set, then every mode was
    /// better or equal over all 41 SWE-bench issues (docs/benchmarks.md).
    /// </summary>
    public bool DropVersionListings { get; set; } = true;

    /// <summary>
    /// In the hybrid modes, each file the query names by path (a pasted stack trace, test-runner output, a link) adds a
    /// fused list of its chunks (a stack frame's function first); the first file's list has this weight, the next
    /// <see cref="MentionDecay"/> times as much, and so on. Files are ordered innermost stack frame first, then paths named
    /// in text. 0 turns it off; the lexical and dense modes keep their single list.
    /// </summary>
    public double MentionWeight { get; set; } = 1;

    /// <summary>Factor between the weights of consecutive named files' lists (see <see cref="MentionWeight"/>).</summary>
    public double MentionDecay { get; set; } = 0.5;

    /// <summary>The fusion weights of <paramref name="files"/> named files' lists, the first file first.</summary>
    public IEnumerable<double> MentionWeights(int files) => Enumerable.Range(0, files).Select(i => MentionWeight * Math.Pow(MentionDecay, i));

    /// <summary>The most paths of one query looked up (in the order of <see cref="MentionWeight"/>: innermost frame first).</summary>
    public int MaxMentionedPaths { get; set; } = 8;

    /// <summary>A named path that matches more files than this (by its longest shared tail) is ambiguous and ignored.</summary>
    public int MaxFilesPerMention { get; set; } = 3;

    /// <summary>Chunks of each named file in its list.</summary>
    public int MaxChunksPerMentionedFile { get; set; } = 3;

    /// <summary>The (dense, lexical) fusion weights for a query already classified by <see cref="GraphStageOptions.IsLongQuery"/>.</summary>
    /// <param name="longQuery">Whether the query is long.</param>
    /// <returns>The two weights, in the order dense, lexical.</returns>
    public double[] FusionWeights(bool longQuery) =>
        longQuery ? [LongQueryDenseWeight, LongQueryLexicalWeight] : [DenseWeight, LexicalWeight];

    /// <summary>Graph stage settings (relation shares, hits expanded, related code per hit).</summary>
    public GraphStageOptions Graph { get; set; } = new();

    /// <summary>Related neighbours fetched per relation for each expanded hit.</summary>
    public int MaxNeighborsPerRelation { get; set; } = 4;
}
