namespace CodeGraphRag.Storage.Embedded;

/// <summary>Names shared by the embedded backend.</summary>
internal static class Constants
{
    public const string ConfigurationSection = "CodeGraphRag:Storage:Embedded";
    public const string DatabaseFileName = "index.db";
    public const string WriteLockFileName = "write.lock";
    public const string AnnFilePrefix = "ann-";
    public const string CommitSeqKey = "commit_seq";
    public const string LogPrunedThroughKey = "log_pruned_through";
    public const string OpUpsert = "upsert";
    public const string OpDelete = "delete";
}
