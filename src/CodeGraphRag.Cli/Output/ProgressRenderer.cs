using System.Globalization;
using CodeGraphRag.Abstractions.Grains;

namespace CodeGraphRag.Cli.Output;

/// <summary>Shows sync progress: a live one-line bar on a terminal, plain periodic lines otherwise.</summary>
internal sealed class ProgressRenderer
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly TextWriter _out;
    private readonly bool _live;
    private TimeSpan? _lastPlain;
    private int _lastWidth;
    private bool _searchableShown;

    private ProgressRenderer(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
    }

    /// <summary>A renderer for <paramref name="output"/>; live only on an interactive terminal.</summary>
    public static ProgressRenderer Create(TextWriter output, bool forcePlain)
        => new(output, !forcePlain && IsTerminal(output));

    /// <summary>A renderer that draws one live line (<paramref name="live"/>, for a terminal elsewhere) or prints plain lines.</summary>
    public static ProgressRenderer Of(TextWriter output, bool live) => new(output, live);

    /// <summary>Whether <paramref name="output"/> is this process's stdout on a terminal.</summary>
    public static bool IsTerminal(TextWriter output) => !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);

    /// <summary>Shows the latest progress.</summary>
    public void Update(SyncProgress p)
    {
        if (p.Phase == SyncPhase.Embedding && p.SearchableAfter is { } searchable && !_searchableShown)
        {
            // Once: the moment the repository answered lexical and graph searches, before its vectors.
            _searchableShown = true;
            var message = string.Create(Inv,
                $"searchable after {searchable.TotalSeconds:F1}s (lexical and graph search; dense search follows as chunks are embedded): embedding {p.ChunksAwaitingVectors} chunks");
            _out.Write(_live ? "\r" + message.PadRight(_lastWidth) + Environment.NewLine : message + Environment.NewLine);
            _lastWidth = 0;
        }

        if (_live)
        {
            var line = Line(p);
            var pad = Math.Max(0, _lastWidth - line.Length);
            _out.Write("\r" + line + new string(' ', pad));
            _lastWidth = line.Length;
            _out.Flush();
        }
        else if (_lastPlain is null || p.Elapsed - _lastPlain >= TimeSpan.FromSeconds(2))
        {
            _lastPlain = p.Elapsed;
            _out.WriteLine(Line(p));
        }
    }

    /// <summary>Ends the live line.</summary>
    public void Done(SyncProgress p)
    {
        if (_live)
        {
            Update(p);
            _out.WriteLine();
        }
    }

    /// <summary>Prints a message on its own line.</summary>
    public void Message(string text) => _out.WriteLine(text);

    /// <summary>Prints the end-of-sync summary.</summary>
    public void Summary(string repository, SyncProgress p)
    {
        var skipped = p.SkippedByReason.Count == 0
            ? "0"
            : string.Join(", ", p.SkippedByReason.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}"));
        _out.WriteLine(string.Create(Inv, $"{repository}: {Describe(p.Phase)} in {p.Elapsed.TotalSeconds:F1}s"));
        _out.WriteLine(string.Create(Inv, $"  files: {p.FilesIndexed} indexed, {p.FilesUnchanged} unchanged, {p.FilesDeleted} deleted, {p.FilesFailed} failed; skipped: {skipped}"));
        _out.WriteLine(string.Create(Inv, $"  chunks: {p.ChunksWritten} written, {p.ChunksEmbedded} embedded; secrets redacted: {p.SecretsRedacted}"));
        if (p.SearchableAfter is { } searchable && p.Phase == SyncPhase.Completed && p.FilesIndexed > 0)
        {
            _out.WriteLine(string.Create(Inv, $"  searchable after {searchable.TotalSeconds:F1}s (lexical and graph), fully embedded after {p.Elapsed.TotalSeconds:F1}s"));
        }
        else if (p.ChunksAwaitingVectors > 0)
        {
            _out.WriteLine(string.Create(Inv, $"  awaiting vectors: {p.ChunksAwaitingVectors} chunks (searchable lexically and through the graph; the next sync embeds them)"));
        }

        if (p.Error is not null)
        {
            _out.WriteLine($"  error: {p.Error}");
        }
    }

    private static string Describe(SyncPhase phase) => phase switch
    {
        SyncPhase.Completed => "synced",
        SyncPhase.Cancelled => "cancelled (run again to finish)",
        SyncPhase.Failed => "FAILED",
        _ => phase.ToString().ToLowerInvariant(),
    };

    private static string Line(SyncProgress p)
    {
        if (p.Phase == SyncPhase.Scanning)
        {
            return string.Create(Inv, $"scanning... {p.Elapsed.TotalSeconds:F0}s");
        }

        if (p.Phase == SyncPhase.Embedding)
        {
            return EmbeddingLine(p);
        }

        var total = Math.Max(1, p.FilesToProcess);
        var fraction = Math.Clamp((double)p.FilesProcessed / total, 0, 1);
        const int width = 28;
        var filled = (int)Math.Round(fraction * width);
        var rate = p.Elapsed.TotalSeconds > 0 ? p.ChunksEmbedded / p.Elapsed.TotalSeconds : 0;
        var eta = p.FilesProcessed > 0 && fraction < 1
            ? TimeSpan.FromSeconds(p.Elapsed.TotalSeconds / p.FilesProcessed * (p.FilesToProcess - p.FilesProcessed))
            : TimeSpan.Zero;
        return string.Create(Inv,
            $"[{new string('#', filled)}{new string('.', width - filled)}] {p.FilesProcessed}/{p.FilesToProcess} files, {p.ChunksWritten} chunks, {rate:F1} emb/s, ETA {eta:mm\\:ss} ({p.Phase.ToString().ToLowerInvariant()})");
    }

    /// <summary>The embedding phase: chunks embedded so far out of those and the ones still awaiting a vector.</summary>
    private static string EmbeddingLine(SyncProgress p)
    {
        var phaseSeconds = (p.Elapsed - (p.SearchableAfter ?? TimeSpan.Zero)).TotalSeconds;
        var all = p.ChunksEmbedded + p.ChunksAwaitingVectors;
        var fraction = all > 0 ? Math.Clamp((double)p.ChunksEmbedded / all, 0, 1) : 0;
        const int width = 28;
        var filled = (int)Math.Round(fraction * width);
        var rate = phaseSeconds > 0 ? p.ChunksEmbedded / phaseSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds(p.ChunksAwaitingVectors / rate) : TimeSpan.Zero;
        return string.Create(Inv,
            $"[{new string('#', filled)}{new string('.', width - filled)}] {p.ChunksAwaitingVectors} chunks awaiting vectors, {rate:F1} emb/s, ETA {eta:mm\\:ss} (embedding; searchable)");
    }
}
