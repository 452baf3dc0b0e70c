using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Parsing.Tests.Chunking;

/// <summary>Checks the chunker's contract on any input.</summary>
internal static class ChunkAssert
{
    /// <summary>
    /// Every non-blank line is in a chunk whose text holds it at its own line offset (function, top-level, window), or in a type
    /// header that quotes it, or in the character pieces of an over-long line; and no line is held by two aligned chunks of
    /// different symbols (only the overlap of one symbol's split parts repeats lines).
    /// </summary>
    public static void CoversEveryLineOnce(string text, IReadOnlyList<ChunkDraft> chunks)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (text.EndsWith('\n'))
        {
            lines = lines[..^1];
        }

        var split = chunks.Select(c => c.Text.Split('\n')).ToArray();
        for (var line = 1; line <= lines.Length; line++)
        {
            var source = lines[line - 1];
            if (string.IsNullOrWhiteSpace(source))
            {
                continue;
            }

            var aligned = new List<ChunkDraft>();
            var quoted = false;
            var pieces = new List<string>();
            for (var i = 0; i < chunks.Count; i++)
            {
                var chunk = chunks[i];
                if (chunk.StartLine > line || chunk.EndLine < line)
                {
                    continue;
                }

                if (chunk.StartLine == line && chunk.EndLine == line && chunk.Text != source)
                {
                    pieces.Add(chunk.Text);
                }
                else if (chunk.Kind == ChunkKind.TypeHeader)
                {
                    quoted |= split[i].Contains(source);
                }
                else if (split[i].Length > line - chunk.StartLine && split[i][line - chunk.StartLine] == source)
                {
                    aligned.Add(chunk);
                }
            }

            var inPieces = pieces.Count > 0 && string.Concat(pieces) == source;
            Assert.True(aligned.Count > 0 || quoted || inPieces, $"line {line} is in no chunk: {source}");
            Assert.True(
                aligned.Select(c => (c.SymbolPath, c.Kind)).Distinct().Count() <= 1,
                $"line {line} is in chunks of different symbols: {string.Join(", ", aligned.Select(c => c.SymbolPath))}");
        }
    }

    public static void WithinBudget(IReadOnlyList<ChunkDraft> chunks, int maxTokens)
    {
        Assert.All(chunks, c => Assert.True(WordTokenCounter.Count(c.Text) <= maxTokens, $"{c.Kind} {c.SymbolPath} {c.StartLine}-{c.EndLine} has {WordTokenCounter.Count(c.Text)} tokens"));
    }
}
