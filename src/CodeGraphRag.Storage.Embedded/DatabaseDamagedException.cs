namespace CodeGraphRag.Storage.Embedded;

/// <summary>
/// The embedded index database is damaged (SQLite reports it corrupt or not a database, or an integrity check failed).
/// Nothing more is read from or written to it; <see cref="EmbeddedStoreRepair"/> rebuilds what can be rebuilt.
/// </summary>
[GenerateSerializer, Alias("cgr.DatabaseDamagedException")]
public sealed class DatabaseDamagedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatabaseDamagedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatabaseDamagedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatabaseDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the one-line error for the database file <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The damaged file.</param>
    /// <param name="detail">What was found, e.g. SQLite's message or the first integrity-check line.</param>
    /// <param name="innerException">The SQLite error, when one was seen.</param>
    public DatabaseDamagedException(string databasePath, string detail, Exception? innerException)
        : base($"The index database '{databasePath}' is damaged ({detail}).", innerException)
    {
        DatabasePath = databasePath;
        Detail = detail;
    }

    /// <summary>The damaged database file.</summary>
    [Id(0)]
    public string? DatabasePath { get; init; }

    /// <summary>What was found (one line).</summary>
    [Id(1)]
    public string? Detail { get; init; }

    /// <summary>Whether a SQLite error means the file is damaged: <c>SQLITE_CORRUPT</c> (11) or <c>SQLITE_NOTADB</c> (26).</summary>
    public static bool IsDamage(Microsoft.Data.Sqlite.SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // CGR: the low byte is the primary code, also when SQLite reports an extended one (SQLITE_CORRUPT_VTAB is 267).
        return (exception.SqliteErrorCode & 0xFF) is SqliteCorrupt or SqliteNotADatabase;
    }

    internal const int SqliteCorrupt = 11;
    internal const int SqliteNotADatabase = 26;
}
