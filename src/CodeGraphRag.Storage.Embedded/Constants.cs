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
    /// A lexical query restricted to repositories holding at most this share of all chunks picks their matches by key
    /// first (top-first almost never proves a filtered answer there: 0 of 45 queries at 5 % of a 200-repository fleet).
    /// </summary>
    public const double LexicalKeySetDirectShare = 0.1;

    /// <summary>
    /// Up to this share the key list also replaces the plain full query when top-first cannot answer; above it the list
    /// costs more than the join it saves (46 ms against 15 ms at 50 % of the fleet's 73k chunks).
    /// </summary>
    public const double LexicalKeySetMaxShare = 0.5;

    /// <summary>
    /// A namespace import looks for its files in the other readable repositories one repository at a time (through
    /// <c>ix_symbols_repository_qualified_name</c>) when the caller may read at most this many; beyond it, one scan of the
    /// namespace's qualified names (the readable ones are then most of them).
    /// </summary>
    public const int NamespaceLookupMaxReadableList = 100;
}
