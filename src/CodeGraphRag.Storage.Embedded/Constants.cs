namespace CodeGraphRag.Storage.Embedded;

/// <summary>Names shared by the embedded backend.</summary>
internal static class Constants
{
    public const string ConfigurationSection = "CodeGraphRag:Storage:Embedded";
    public const string DatabaseFileName = "index.db";
    public const string WriteLockFileName = "write.lock";
    public const string CleanCloseFileName = "clean-close.json";
    public const string CatalogCopyFileName = "catalog.json";
    public const string AnnFilePrefix = "ann-";
    public const string CommitSeqKey = "commit_seq";
    public const string LogPrunedThroughKey = "log_pruned_through";
    public const string OpUpsert = "upsert";
    public const string OpDelete = "delete";

    /// <summary>The per-connection temp fts5vocab table giving each term's document count.</summary>
    public const string TermRowsTable = "cgr_term_rows";

    /// <summary>A long query keeps at least this many of its rarest terms however common they are.</summary>
    public const int LexicalMinKeptTerms = 3;

    /// <summary>
    /// A lexical query restricted to repositories holding at most this share of all chunks drops other repositories'
    /// matches by key before ranking them (larger shares: the key list costs more than the join it saves).
    /// </summary>
    public const double LexicalKeySetMaxShare = 0.5;
}
