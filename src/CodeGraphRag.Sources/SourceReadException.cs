namespace CodeGraphRag.Sources;

/// <summary>A candidate file could not be read; the caller records it as failed and goes on with the run.</summary>
public sealed class SourceReadException : IOException
{
    /// <summary>The file no longer exists.</summary>
    public const string Vanished = "vanished";

    /// <summary>The file exists but cannot be read (permissions, not a regular file, I/O error).</summary>
    public const string Unreadable = "unreadable";

    /// <summary>The file grew past the size limit after it was listed.</summary>
    public const string TooLarge = "too-large";

    /// <summary>Creates the exception.</summary>
    /// <param name="path">Repository-relative path.</param>
    /// <param name="reason">One of <see cref="Vanished"/>, <see cref="Unreadable"/>, <see cref="TooLarge"/>.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public SourceReadException(string path, string reason, Exception? innerException = null)
        : base($"Cannot read '{path}': {reason}{(innerException is null ? "" : $" ({innerException.Message})")}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Repository-relative path of the file.</summary>
    public string Path { get; }

    /// <summary>One of <see cref="Vanished"/>, <see cref="Unreadable"/>, <see cref="TooLarge"/>.</summary>
    public string Reason { get; }
}
