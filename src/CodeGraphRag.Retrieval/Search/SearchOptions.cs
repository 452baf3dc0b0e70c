using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Retrieval.Graph;
using CodeGraphRag.Retrieval.Priors;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>Query pipeline settings, section <c>CodeGraphRag:Search</c>.</summary>
public sealed class SearchOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "CodeGraphRag:Search";

    /// <summary>Candidates taken from each of dense and lexical search before fusion.</summary>
    public int CandidatePool { get; set; } = 60;

    /// <summary>The k of reciprocal rank fusion.</summary>
    public int RrfK { get; set; } = SearchLimits.RrfK;

    /// <summary>Weight of the dense list in reciprocal rank fusion for short queries (fewer than Graph:LongQueryWords words).</summary>
    public double DenseWeight { get; set; } = 1;

    /// <summary>Weight of the lexical list in reciprocal rank fusion for short queries.</summary>
    public double LexicalWeight { get; set; } = 1;

    /// <summary>Weight of the dense list for long queries (problem descriptions, issue texts: Graph:LongQueryWords words or more).</summary>
    public double LongQueryDenseWeight { get; set; } = 1;

    /// <summary>
    /// Weight of the lexical list for long queries (docs/benchmarks.md, "SWE-bench Lite development set: ... fusion weights
    /// for long queries", has the weights tried).
    /// </summary>
    public double LongQueryLexicalWeight { get; set; } = 1;

    /// <summary>File-class priors: a factor per class (test, docs, changelog, config, ...) by query length and intent.</summary>
    public ClassPriorOptions ClassPriors { get; set; } = new();

    /// <summary>
    /// Whether long queries are searched without the lines that only pair a name with a version (an issue's
    /// <c>pip list</c> or <c>show_versions()</c> dump), in every mode (docs/benchmarks.md, "Long queries without their
    /// version listings").
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

    /// <summary>
    /// In the hybrid modes, each identifier the query names (<see cref="Mentions.SymbolMentions"/>: backticked,
    /// dotted, called, camelCase or snake_case names) that resolves to definitions in at most <see cref="MaxFilesPerSymbol"/>
    /// files adds a fused list: the defining symbols' chunks, then their callers'. The first identifier's list has this
    /// weight divided by its number of defining files, the next <see cref="MentionDecay"/> times as much; 0 turns it off.
    /// </summary>
    public double SymbolMentionWeight { get; set; } = 1;

    /// <summary>The most identifiers of one query looked up, first named first.</summary>
    public int MaxSymbolMentions { get; set; } = 6;

    /// <summary>An identifier defined in more files than this is too common to point anywhere and is ignored.</summary>
    public int MaxFilesPerSymbol { get; set; } = 3;

    /// <summary>
    /// File ranking (requests with <c>Files</c>): the share of each further chunk of a file in its chunk score (best chunk
    /// + decay x second + decay² x third ...), in [0, 1].
    /// </summary>
    public double FileChunkDecay { get; set; } = 0.5;

    /// <summary>
    /// File ranking: the weight of the files' whole-file lexical documents against the chunk-aggregated ranking in their
    /// fusion; 0 (the default) turns it off (docs/benchmarks.md, "File classes, query intent and file results", has the
    /// weights tried).
    /// </summary>
    public double FileLexicalWeight { get; set; }

    /// <summary>File ranking: the best chunks returned with each file.</summary>
    public int ChunksPerFile { get; set; } = 3;

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
