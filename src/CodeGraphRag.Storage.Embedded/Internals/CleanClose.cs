using System.Globalization;
using System.Text.Json;

namespace CodeGraphRag.Storage.Embedded.Internals;

/// <summary>
/// Evidence of a clean close: <c>clean-close.json</c> holds the length and last-write time of the database, its WAL and
/// the ANN files as a writer left them when it closed. A writer deletes it when it opens, so a kill -9 leaves none; a file
/// written by anything else afterwards (a crash mid-write, a disk fault, a stray <c>dd</c>) no longer matches it.
/// </summary>
/// <remarks>
/// Either way the next open runs the integrity check; a matching record lets every clean open skip it, because
/// <c>PRAGMA quick_check</c> reads the whole database (seconds on a large one).
/// </remarks>
internal static class CleanClose
{
    /// <summary>Whether the data directory's files are exactly as a clean close left them.</summary>
    public static bool Matches(string dataDirectory)
    {
        var path = RecordPath(dataDirectory);
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            var recorded = JsonSerializer.Deserialize<Record>(File.ReadAllText(path));
            return recorded is not null && recorded.Files.SequenceEqual(Stamp(dataDirectory).Files);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Records the current state of the files as cleanly closed; best effort (a read-only directory keeps none).</summary>
    public static void Write(string dataDirectory)
    {
        var path = RecordPath(dataDirectory);
        var tmp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            File.WriteAllText(tmp, JsonSerializer.Serialize(Stamp(dataDirectory)));
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // CGR: without a record the next open checks the database; that costs time, never correctness.
        }
    }

    /// <summary>Removes the record: from now until a clean close, the files may change.</summary>
    public static void Delete(string dataDirectory) => File.Delete(RecordPath(dataDirectory));

    /// <summary>Whether a writer process holds the directory now (its pid file names a running process).</summary>
    /// <remarks>A reader then skips the open check: the writer checked at its own open and is changing the files.</remarks>
    public static bool WriterRunning(string dataDirectory)
    {
        try
        {
            var owner = Path.Combine(dataDirectory, Constants.WriteLockFileName + ".owner");
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                return false;
            }

            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string RecordPath(string dataDirectory) => Path.Combine(dataDirectory, Constants.CleanCloseFileName);

    private static Record Stamp(string dataDirectory)
    {
        var names = new List<string> { Constants.DatabaseFileName, Constants.DatabaseFileName + "-wal" };
        if (Directory.Exists(dataDirectory))
        {
            names.AddRange(Directory.EnumerateFiles(dataDirectory, Constants.AnnFilePrefix + "*")
                .Select(Path.GetFileName)
                .Where(n => n is not null && !n.EndsWith(".tmp", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)!);
        }

        var files = new List<FileStamp>();
        foreach (var name in names)
        {
            var info = new FileInfo(Path.Combine(dataDirectory, name));
            // CGR: a WAL without frames holds nothing (a reader's open can leave an empty one behind).
            if (info.Exists && !(name.EndsWith("-wal", StringComparison.Ordinal) && info.Length == 0))
            {
                files.Add(new FileStamp(name, info.Length, info.LastWriteTimeUtc.Ticks));
            }
        }

        return new Record(files);
    }

    private sealed record Record(List<FileStamp> Files);

    private sealed record FileStamp(string Name, long Length, long LastWriteTicks);
}
