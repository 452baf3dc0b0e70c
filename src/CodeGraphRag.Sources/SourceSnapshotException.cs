namespace CodeGraphRag.Sources;

/// <summary>A snapshot cannot be opened or listed: the root does not exist, it is not a git repository, the revision does not exist, or git failed.</summary>
/// <remarks>The message is one line meant for the user: what failed, which path or revision, and what to do.</remarks>
public sealed class SourceSnapshotException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public SourceSnapshotException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
