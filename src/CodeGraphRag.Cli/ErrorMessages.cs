using CodeGraphRag.Storage.Embedded;
using Microsoft.Data.Sqlite;

namespace CodeGraphRag.Cli;

/// <summary>Maps known failures from the stack to one clear line.</summary>
internal static class ErrorMessages
{
    /// <summary>A one-line description of a known failure, or null.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="dataDirectory">The command's data directory, named when SQLite reports damage without a file.</param>
    public static string? Describe(Exception exception, string? dataDirectory = null)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DataDirectoryLockedException locked:
                    return locked.Message;
                case DataDirectoryAccessException access:
                    return access.Message;
                case Microsoft.Extensions.Options.OptionsValidationException options:
                    return "invalid configuration: " + string.Join("; ", options.Failures);
                case DatabaseDamagedException damaged when damaged.DatabasePath is not null:
                    return Damaged(damaged.DatabasePath, damaged.Detail);
                case SqliteException sqlite when DatabaseDamagedException.IsDamage(sqlite) && dataDirectory is not null:
                    return Damaged(Path.Combine(dataDirectory, "index.db"), sqlite.Message);
                case var other when dataDirectory is not null && IsDamageMessage(other.Message):
                    // CGR: an exception type a grain call could not carry arrives as a fallback exception with the same text.
                    return Damaged(Path.Combine(dataDirectory, "index.db"), other.Message);
            }
        }

        return null;
    }

    /// <summary>The one line every command prints for a damaged database: the file, what was found, the remedy.</summary>
    public static string Damaged(string databasePath, string? detail)
    {
        var directory = Path.GetDirectoryName(databasePath) ?? ".";
        return $"the index database '{databasePath}' is damaged ({(detail ?? "SQLite reports corruption").TrimEnd('.')}); run 'cgr repair --data-dir {directory}' to rebuild it";
    }

    private static bool IsDamageMessage(string message) =>
        message.Contains("SQLite Error 11:", StringComparison.Ordinal) || message.Contains("SQLite Error 26:", StringComparison.Ordinal);
}
