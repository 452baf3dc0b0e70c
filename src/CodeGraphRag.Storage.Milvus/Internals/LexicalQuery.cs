using System.Globalization;
using System.Text;

namespace CodeGraphRag.Storage.Milvus.Internals;

/// <summary>Turns already analysed terms into the BM25 query text Milvus analyses with the collection's whitespace analyzer.</summary>
internal static class LexicalQuery
{
    /// <summary>
    /// The distinct usable terms joined by spaces, or null when none is left. Each term is split the way the embedded
    /// store's tokenizer splits it (letters, digits and <c>_</c>, lower-cased, control characters dropped): a term that is
    /// one token is kept; a term of several tokens is a phrase there, and BM25 has no phrases, so it is dropped rather
    /// than widened into an OR of its words (real query terms from the analyzer are always single tokens).
    /// </summary>
    public static string? Build(IReadOnlyList<string> terms)
    {
        var kept = new List<string>(terms.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (string.IsNullOrWhiteSpace(term))
            {
                continue;
            }

            var tokens = Tokens(term);
            if (tokens.Count == 1 && seen.Add(tokens[0]))
            {
                kept.Add(tokens[0]);
            }
        }

        return kept.Count == 0 ? null : string.Join(' ', kept);
    }

    private static List<string> Tokens(string term)
    {
        var tokens = new List<string>(1);
        var current = new StringBuilder();
        foreach (var rune in term.EnumerateRunes())
        {
            if (IsTokenRune(rune))
            {
                current.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static bool IsTokenRune(Rune rune)
    {
        if (rune.Value == '_')
        {
            return true;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.PrivateUse;
    }
}
