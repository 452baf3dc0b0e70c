using System.Buffers;

namespace CodeGraphRag.Parsing.Secrets;

/// <summary>Rules that recognise a secret by its shape and what surrounds it: AWS secret keys and credential columns of tables.</summary>
public sealed partial class SecretRedactor
{
    /// <summary>How many lines above or below an access key id its secret key may sit (a CSV row, an ini pair, a wrapped call).</summary>
    private const int AwsPairLines = 3;

    private const int MaxTableRows = 10_000;

    private static readonly SearchValues<string> SecretWordSearch = SearchValues.Create(["secret"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> HeaderWordSearch =
        SearchValues.Create(["secret", "password", "passwd", "token", "api key", "api_key", "apikey"], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A 40-character AWS-shaped value is a secret key when an access key id was found within <see cref="AwsPairLines"/>
    /// lines of it, or when the text before it on its line names a secret ("AWS Secret Access Key [None]: ...", "| Secret key | ...").
    /// </summary>
    private static void FindAwsSecretsInContext(string text, List<Finding> findings)
    {
        var ids = findings.Where(f => f.RuleId == SecretRuleIds.AwsAccessKeyId).Select(f => f.Start).ToList();
        if (ids.Count > 0)
        {
            ScanAwsShapes(text, 0, text.Length, ids, findings);
        }
        else
        {
            ForEachWindow(text, SecretWordSearch, 0, text.Length, (start, end) => ScanAwsShapes(text, start, end, ids, findings));
        }
    }

    private static void ScanAwsShapes(string text, int start, int end, List<int> ids, List<Finding> findings)
    {
        for (var m = SecretPatterns.AwsSecretShape().Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            var value = m.Groups["v"];
            if (SecretHeuristics.LooksLikeAwsSecret(value.ValueSpan) && (NearAccessKeyId(text, value.Index, ids) || SecretWordBefore(text, value.Index)))
            {
                findings.Add(new Finding(value.Index, value.Length, SecretRuleIds.AwsSecretAccessKey, 1));
            }
        }
    }

    private static bool NearAccessKeyId(string text, int index, List<int> ids)
    {
        if (ids.Count == 0)
        {
            return false;
        }

        var from = index;
        for (var lines = 0; from > 0 && lines <= AwsPairLines; lines++)
        {
            var newline = text.LastIndexOf('\n', from - 1);
            from = newline < 0 ? 0 : newline;
        }

        var to = index;
        for (var lines = 0; to < text.Length && lines <= AwsPairLines; lines++)
        {
            var newline = text.IndexOf('\n', to + 1);
            to = newline < 0 ? text.Length : newline;
        }

        return ids.Exists(id => id >= from && id < to);
    }

    private static bool SecretWordBefore(string text, int index)
    {
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return text.AsSpan(lineStart, index - lineStart).Contains("secret", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// CSV and TSV tables such as an AWS console <c>credentials.csv</c>: a header row of short labels, at the start of the text
    /// or after a blank line or a code fence, that names a secret column (Secret, Password, Secret access key, Token, API key).
    /// The cells of that column in the rows below (same number of cells; quoted commas are not parsed) are judged like
    /// values assigned to that name; an AWS-shaped value needs no more than the header.
    /// </summary>
    private void FindTableColumns(string text, List<Finding> findings)
    {
        var searchFrom = 0;
        while (TryNextTriggerLine(text, HeaderWordSearch, searchFrom, out var lineStart, out var lineEnd))
        {
            searchFrom = lineEnd + 1;
            if (lineEnd - lineStart > 400 || !StartsTable(text, lineStart))
            {
                continue;
            }

            var header = text.AsSpan(lineStart, lineEnd - lineStart).TrimEnd('\r');
            var separator = header.Contains(',') ? ',' : header.Contains('\t') ? '\t' : '\0';
            if (separator == '\0')
            {
                searchFrom = ScanAwsColumn(text, header.Trim().ToString(), lineEnd + 1, findings);
            }
            else if (TryReadHeader(header.ToString(), separator, out var families))
            {
                searchFrom = ScanTableRows(text, lineEnd + 1, separator, families, findings);
            }
        }
    }

    /// <summary>A one-column table (a header such as "Secret" alone on its line): only AWS-shaped values below it count.</summary>
    private static int ScanAwsColumn(string text, string header, int position, List<Finding> findings)
    {
        if (!SecretPatterns.HeaderLabel().IsMatch(header) || SecretHeuristics.Classify(header) == SecretHeuristics.NameFamily.None)
        {
            return position;
        }

        for (var row = 0; row < MaxTableRows && position < text.Length; row++)
        {
            var lineEnd = LineEnd(text, position);
            var line = text.AsSpan(position, lineEnd - position).TrimEnd('\r');
            var value = line.Trim();
            if (!SecretHeuristics.LooksLikeAwsSecret(value))
            {
                return position;
            }

            findings.Add(new Finding(position + line.IndexOf(value), value.Length, SecretRuleIds.AwsSecretAccessKey, 1));
            position = lineEnd + 1;
        }

        return position;
    }

    /// <summary>The first line at or after <paramref name="from"/> that holds one of <paramref name="triggers"/>, as its start and end (the line break or the text's end).</summary>
    private static bool TryNextTriggerLine(string text, SearchValues<string> triggers, int from, out int lineStart, out int lineEnd)
    {
        var hit = from < text.Length ? text.AsSpan(from).IndexOfAny(triggers) : -1;
        if (hit < 0)
        {
            (lineStart, lineEnd) = (0, 0);
            return false;
        }

        hit += from;
        lineStart = hit == 0 ? 0 : text.LastIndexOf('\n', hit - 1) + 1;
        lineEnd = LineEnd(text, hit);
        return true;
    }

    private static int LineEnd(string text, int index)
    {
        var end = text.IndexOf('\n', index);
        return end < 0 ? text.Length : end;
    }

    private static bool StartsTable(string text, int lineStart)
    {
        if (lineStart == 0)
        {
            return true;
        }

        var previousStart = lineStart == 1 ? 0 : text.LastIndexOf('\n', lineStart - 2) + 1;
        var previous = text.AsSpan(previousStart, lineStart - 1 - previousStart).Trim();
        return previous.IsEmpty || previous.StartsWith("```", StringComparison.Ordinal);
    }

    private static bool TryReadHeader(string header, char separator, out SecretHeuristics.NameFamily[] families)
    {
        var cells = header.Split(separator);
        families = new SecretHeuristics.NameFamily[cells.Length];
        var any = false;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = Unquote(cells[i].Trim());
            if (cells.Length < 2 || !SecretPatterns.HeaderLabel().IsMatch(cell))
            {
                return false;
            }

            families[i] = SecretHeuristics.Classify(cell);
            any |= families[i] != SecretHeuristics.NameFamily.None;
        }

        return any;
    }

    private int ScanTableRows(string text, int position, char separator, SecretHeuristics.NameFamily[] families, List<Finding> findings)
    {
        for (var row = 0; row < MaxTableRows && position < text.Length; row++)
        {
            var lineEnd = LineEnd(text, position);
            var line = text.AsSpan(position, lineEnd - position).TrimEnd('\r');
            if (line.IsWhiteSpace() || line.Count(separator) != families.Length - 1)
            {
                return position;
            }

            var cellStart = position;
            for (var column = 0; column < families.Length; column++)
            {
                var cellEnd = column == families.Length - 1 ? position + line.Length : text.IndexOf(separator, cellStart);
                if (families[column] != SecretHeuristics.NameFamily.None)
                {
                    JudgeCell(text, cellStart, cellEnd, families[column], findings);
                }

                cellStart = cellEnd + 1;
            }

            position = lineEnd + 1;
        }

        return position;
    }

    private void JudgeCell(string text, int start, int end, SecretHeuristics.NameFamily family, List<Finding> findings)
    {
        while (start < end && text[start] is ' ' or '\t')
        {
            start++;
        }

        while (end > start && text[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end - start >= 2 && text[start] == '"' && text[end - 1] == '"')
        {
            start++;
            end--;
        }

        var value = text.Substring(start, end - start);
        if (SecretHeuristics.LooksLikeAwsSecret(value))
        {
            findings.Add(new Finding(start, end - start, SecretRuleIds.AwsSecretAccessKey, 1));
        }
        else if (!UrlPlaceholders.Contains(value) && SecretHeuristics.IsSecretValue(value, family, quoted: true, _options))
        {
            findings.Add(new Finding(start, end - start, SecretRuleIds.GenericSecret, 3));
        }
    }

    private static string Unquote(string cell) =>
        cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1] : cell;
}
