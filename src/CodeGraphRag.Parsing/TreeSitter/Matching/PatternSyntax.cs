namespace CodeGraphRag.Parsing.TreeSitter.Matching;

/// <summary>
/// The part of tree-sitter's query language that our extraction queries use, parsed: node patterns with a type or the
/// named wildcard <c>(_)</c>, fields (<c>name: pattern</c>), negated fields (<c>!name</c>), alternations
/// (<c>[a b]</c>), captures (<c>@name</c>) and a leading anchor (<c>. pattern</c>: the first named child). Anything else
/// (quantifiers, predicates, string literals, other anchors) is rejected with the line it is on, so a query that the
/// matcher would read differently from tree-sitter never loads.
/// </summary>
internal static class PatternSyntax
{
    /// <summary>Parses every top-level pattern of <paramref name="source"/>, in order.</summary>
    public static IReadOnlyList<NodePatternSyntax> Parse(string source)
    {
        var reader = new Reader(source);
        var patterns = new List<NodePatternSyntax>();
        while (reader.SkipTrivia())
        {
            if (reader.Peek != '(')
            {
                throw reader.Error("a top-level pattern must start with '('");
            }

            var pattern = reader.Pattern();
            if (pattern.Alternatives.Count != 1)
            {
                throw reader.Error("top-level alternations are not supported");
            }

            patterns.Add(pattern.Alternatives[0] with { Captures = [.. pattern.Alternatives[0].Captures, .. pattern.Captures] });
        }

        return patterns;
    }

    private sealed class Reader(string text)
    {
        private int _pos;

        public char Peek => _pos < text.Length ? text[_pos] : '\0';

        /// <summary>Skips whitespace and comments; false at the end of the text.</summary>
        public bool SkipTrivia()
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (char.IsWhiteSpace(c))
                {
                    _pos++;
                }
                else if (c == ';')
                {
                    while (_pos < text.Length && text[_pos] != '\n')
                    {
                        _pos++;
                    }
                }
                else
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A node pattern or an alternation, with the captures that follow it.</summary>
        public PatternSyntaxNode Pattern()
        {
            SkipTrivia();
            List<NodePatternSyntax> alternatives;
            if (Peek == '[')
            {
                _pos++;
                alternatives = [];
                while (SkipTrivia() && Peek != ']')
                {
                    var inner = Pattern();
                    alternatives.AddRange(inner.Alternatives.Select(a => a with { Captures = [.. a.Captures, .. inner.Captures] }));
                }

                Expect(']');
                if (alternatives.Count == 0)
                {
                    throw Error("an empty alternation");
                }
            }
            else if (Peek == '(')
            {
                alternatives = [Node()];
            }
            else
            {
                throw Error($"unsupported query syntax '{Peek}' (only node patterns, fields, '!field', '[...]', '@capture' and a leading '.')");
            }

            return new PatternSyntaxNode(alternatives, Captures());
        }

        public InvalidOperationException Error(string message)
        {
            var line = text.AsSpan(0, Math.Min(_pos, text.Length)).Count('\n') + 1;
            return new InvalidOperationException($"extraction query, line {line}: {message}.");
        }

        private NodePatternSyntax Node()
        {
            Expect('(');
            SkipTrivia();
            var type = Identifier("a node type");
            var items = new List<ChildPatternSyntax>();
            var negated = new List<string>();
            while (SkipTrivia() && Peek != ')')
            {
                var anchored = false;
                if (Peek == '.')
                {
                    if (items.Count > 0)
                    {
                        throw Error("an anchor is supported only before the first child pattern");
                    }

                    _pos++;
                    anchored = true;
                    SkipTrivia();
                }

                if (Peek == '!')
                {
                    _pos++;
                    negated.Add(Identifier("a field name"));
                    continue;
                }

                string? field = null;
                if (char.IsLetter(Peek) || Peek == '_')
                {
                    field = Identifier("a field name");
                    SkipTrivia();
                    Expect(':');
                }

                items.Add(new ChildPatternSyntax(field, anchored, Pattern()));
            }

            Expect(')');
            return new NodePatternSyntax(type, items, negated, []);
        }

        private List<string> Captures()
        {
            var captures = new List<string>();
            while (SkipTrivia() && Peek == '@')
            {
                _pos++;
                captures.Add(Identifier("a capture name", allowDots: true));
            }

            return captures;
        }

        private string Identifier(string what, bool allowDots = false)
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_' || (allowDots && text[_pos] is '.' or '-')))
            {
                _pos++;
            }

            return _pos > start ? text[start.._pos] : throw Error($"expected {what}");
        }

        private void Expect(char c)
        {
            SkipTrivia();
            if (Peek != c)
            {
                throw Error($"expected '{c}'");
            }

            _pos++;
        }
    }
}

/// <summary>One pattern position: one or more alternative node patterns, and the captures on whichever matched.</summary>
internal sealed record PatternSyntaxNode(IReadOnlyList<NodePatternSyntax> Alternatives, IReadOnlyList<string> Captures);

/// <summary><c>(type items... !negated...) @captures</c>; <see cref="Type"/> <c>_</c> is any named node.</summary>
internal sealed record NodePatternSyntax(string Type, IReadOnlyList<ChildPatternSyntax> Items, IReadOnlyList<string> NegatedFields, IReadOnlyList<string> Captures);

/// <summary>A child item: in <see cref="Field"/> when given; <see cref="Anchored"/>: must be the first named child.</summary>
internal sealed record ChildPatternSyntax(string? Field, bool Anchored, PatternSyntaxNode Pattern);
