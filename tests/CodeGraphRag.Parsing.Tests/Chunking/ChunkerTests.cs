using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Chunking;
using CodeGraphRag.Parsing.Roslyn;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Chunking;

[Trait("Category", TestCategories.Unit)]
public sealed class ChunkerTests
{
    private const string Jwt = "Acme.Auth.JwtValidator";

    private readonly RoslynExtractor _extractor = new();

    [Fact]
    public void ChunkCode_Fixture_GivesFunctionsTypeHeadersAndTopLevelInSourceOrder()
    {
        var text = Fixture.Read("JwtValidator.cs");

        var chunks = ChunkCSharp(new Chunker(new ChunkingOptions()), text);

        Assert.Equal(
            [
                (ChunkKind.TopLevel, "", 1, 7),
                (ChunkKind.TypeHeader, "Acme.Auth.ValidationResult", 9, 13),
                (ChunkKind.TypeHeader, "Acme.Auth.ITokenValidator", 15, 20),
                (ChunkKind.TypeHeader, "Acme.Auth.ValidatorBase", 22, 26),
                (ChunkKind.TypeHeader, Jwt, 28, 85),
                (ChunkKind.Function, $"{Jwt}.JwtValidator", 36, 40),
                (ChunkKind.Function, $"{Jwt}.FailureCount", 44, 47),
                (ChunkKind.Function, $"{Jwt}.Validate`2", 53, 74),
                (ChunkKind.Function, $"{Jwt}.Decode", 78, 79),
                (ChunkKind.Function, $"{Jwt}.Record", 81, 84),
                (ChunkKind.TypeHeader, "Acme.Auth.JwtOptions", 87, 87),
                (ChunkKind.TypeHeader, "Acme.Auth.Payload", 89, 89),
                (ChunkKind.TypeHeader, "Acme.Auth.TokenKind", 91, 95),
            ],
            chunks.Select(c => (c.Kind, c.SymbolPath, c.StartLine, c.EndLine)));
        ChunkAssert.CoversEveryLineOnce(text, chunks);
    }

    [Fact]
    public void ChunkCode_TypeHeader_KeepsFieldsAndOneLineMembersAndReplacesBodiesWithSignatures()
    {
        var chunks = ChunkCSharp(new Chunker(new ChunkingOptions()), Fixture.Read("JwtValidator.cs"));

        var header = Assert.Single(chunks, c => c.SymbolPath == Jwt);
        Assert.Equal(
            """
            /// <summary>Validates compact JWTs without a network call.</summary>
            [Serializable]
            public sealed class JwtValidator : ValidatorBase<JwtOptions>, ITokenValidator
            {
                private const int MaxTokenLength = 8192;
                private readonly TimeProvider _clock;
                private readonly Dictionary<string, int> _failures = CreateCounters(), _spare = new();

                public JwtValidator(JwtOptions options, TimeProvider clock) : base(options) ...

                public event EventHandler<string>? Rejected;

                public int FailureCount ...

                public string Issuer { get; init; } = "acme";

                public ValidationResult Validate(string token) => Validate(token, _clock.GetUtcNow());

                public ValidationResult Validate(string token, DateTimeOffset now) ...

                private static Dictionary<string, int> CreateCounters() => new System.Collections.Generic.Dictionary<string, int>(StringComparer.Ordinal);

                private static string Decode(string segment) ...

                private void Record(string reason) ...
            }
            """,
            header.Text);
        Assert.Equal("public sealed class JwtValidator : ValidatorBase<JwtOptions>, ITokenValidator", header.Signature);
    }

    [Fact]
    public void ChunkCode_Method_IncludesAttributesAndLeadingDocComments()
    {
        const string Source = """
            class C
            {
                /// <summary>Adds.</summary>
                // and explains why
                [Pure]
                public int Add(int a, int b)
                {
                    return a + b;
                }
            }
            """;

        var chunks = ChunkCSharp(new Chunker(new ChunkingOptions()), Source);

        var add = Assert.Single(chunks, c => c.Kind == ChunkKind.Function);
        Assert.Equal((3, 9), (add.StartLine, add.EndLine));
        Assert.StartsWith("    /// <summary>Adds.</summary>\n    // and explains why\n    [Pure]\n", add.Text, StringComparison.Ordinal);
        Assert.Equal("public int Add(int a, int b)", add.Signature);
    }

    [Fact]
    public void ChunkCode_LanguageAgnosticSymbols_ChunksIndentedClassesWithoutClosingLines()
    {
        const string Source = """
            import os

            # Helper for things
            class Foo:
                x = 1

                def bar(self):
                    return os.getcwd()

                def baz(self):
                    pass

            print(Foo().bar())
            """;
        SymbolInfo[] symbols =
        [
            new("m.Foo", "Foo", SymbolKind.Class, 4, 11, null, "class Foo"),
            new("m.Foo.bar", "bar", SymbolKind.Method, 7, 8, "m.Foo", "def bar(self)"),
            new("m.Foo.baz", "baz", SymbolKind.Method, 10, 11, "m.Foo", "def baz(self)"),
        ];

        var chunks = new Chunker(new ChunkingOptions()).ChunkCode("python", Source, symbols, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                (ChunkKind.TypeHeader, "m.Foo", 1, 11, "import os\n\n# Helper for things\nclass Foo:\n    x = 1\n\n    def bar(self) ...\n\n    def baz(self) ..."),
                (ChunkKind.Function, "m.Foo.bar", 7, 8, "    def bar(self):\n        return os.getcwd()"),
                (ChunkKind.Function, "m.Foo.baz", 10, 11, "    def baz(self):\n        pass"),
                (ChunkKind.TopLevel, "", 13, 13, "print(Foo().bar())"),
            ],
            chunks.Select(c => (c.Kind, c.SymbolPath, c.StartLine, c.EndLine, c.Text)));
    }

    [Fact]
    public void ChunkCode_BlockNamespace_TinyOpeningAndClosingLinesJoinTheType()
    {
        const string Source = """
            using System;

            namespace N
            {
                public enum E { A, B }
            }
            """;

        var chunks = ChunkCSharp(new Chunker(new ChunkingOptions()), Source);

        var chunk = Assert.Single(chunks);
        Assert.Equal((ChunkKind.TypeHeader, "N.E", 1, 6), (chunk.Kind, chunk.SymbolPath, chunk.StartLine, chunk.EndLine));
        Assert.Equal(Source, chunk.Text);
    }

    [Fact]
    public void ChunkCode_HugeMethod_SplitsWithinBudgetPreferringTheLocalFunctionBoundary()
    {
        var lines = new List<string> { "namespace N;", "public class Big", "{", "    public int Huge()", "    {", "        var total = 0;" };
        lines.AddRange(Enumerable.Range(0, 150).Select(i => $"        total += Compute({i});"));
        var localStart = lines.Count + 1;
        lines.AddRange(["        int Twice(int x)", "        {", "            return x * 2;", "        }"]);
        var localEnd = lines.Count;
        lines.AddRange(Enumerable.Range(0, 150).Select(i => $"        total -= Twice({i});"));
        lines.AddRange(["        return total;", "    }", "}"]);
        var text = string.Join('\n', lines);
        var options = new ChunkingOptions { MaxTokens = 100, OverlapLines = 2 };

        var chunks = ChunkCSharp(new Chunker(options, new WordTokenCounter()), text);

        var parts = chunks.Where(c => c.SymbolPath == "N.Big.Huge").ToList();
        Assert.True(parts.Count > 20, $"only {parts.Count} parts");
        Assert.All(parts, p => Assert.Equal(ChunkKind.Function, p.Kind));
        ChunkAssert.WithinBudget(chunks, options.MaxTokens);
        ChunkAssert.CoversEveryLineOnce(text, chunks);
        for (var i = 1; i < parts.Count; i++)
        {
            Assert.InRange(parts[i].StartLine, parts[i - 1].EndLine - options.OverlapLines + 1, parts[i - 1].EndLine + 1);
        }

        Assert.Contains(parts.Skip(1), p => p.StartLine == localStart || p.StartLine == localEnd + 1);
    }

    [Fact]
    public void ChunkCode_GeneratedFiles_CoverEveryLineWithinBudget()
    {
        var random = new Random(20261127);
        var options = new ChunkingOptions { MaxTokens = 60, OverlapLines = 2, WindowLines = 12 };
        var chunker = new Chunker(options, new WordTokenCounter());
        for (var file = 0; file < 25; file++)
        {
            var text = GeneratedCSharp(random);

            var chunks = ChunkCSharp(chunker, text);

            ChunkAssert.WithinBudget(chunks, options.MaxTokens);
            ChunkAssert.CoversEveryLineOnce(text, chunks);
            Assert.Equal(chunks.OrderBy(c => c.StartLine).Select(c => c.StartLine), chunks.Select(c => c.StartLine));
        }
    }

    [Fact]
    public void ChunkCode_CounterWhoseLinesAddUp_SameChunksCountingEachLineOnce()
    {
        var random = new Random(7);
        var options = new ChunkingOptions { MaxTokens = 200, OverlapLines = 2, WindowLines = 40 };
        var joined = new WordTokenCounter(linesAddUp: false);
        var perLine = new WordTokenCounter(linesAddUp: true);
        var texts = Enumerable.Range(0, 12).Select(_ => GeneratedCSharp(random)).ToList();

        var expected = texts.SelectMany(t => ChunkCSharp(new Chunker(options, joined), t)).ToList();
        var actual = texts.SelectMany(t => ChunkCSharp(new Chunker(options, perLine), t)).ToList();

        Assert.Equal(expected, actual);
        Assert.Contains(actual, c => c.Kind == ChunkKind.Function);
        Assert.Contains(actual, c => c.Kind == ChunkKind.TypeHeader);

        // Each nesting level (class, then each method) counted its own range's text (1.9 x the file here); now each line is
        // counted once and ranges add up the cached counts (type headers with stand-ins are still counted whole).
        var length = texts.Sum(t => t.Length);
        Assert.True(joined.CharactersCounted > length * 1.5, $"joined counting read {joined.CharactersCounted} characters of {length}");
        Assert.True(perLine.CharactersCounted < length * 1.2, $"per-line counting read {perLine.CharactersCounted} characters of {length}");
    }

    [Fact]
    public void ChunkWindows_Markdown_CutsAtHeadingsAndNamesTheSection()
    {
        var sections = Enumerable.Range(1, 5).Select(s => string.Join('\n', new[] { $"## Section {s}", "" }
            .Concat(s == 3 ? ["```bash", "# not a heading", "```"] : [])
            .Concat(Enumerable.Range(1, 26).Select(l => $"Paragraph {s}.{l} explains one more detail."))));
        var text = "# Guide\n\n" + string.Join("\n\n", sections) + "\n";

        var chunks = new Chunker(new ChunkingOptions { WindowLines = 50 }).ChunkWindows("markdown", text, TestContext.Current.CancellationToken);

        Assert.All(chunks, c => Assert.Equal(ChunkKind.Window, c.Kind));
        Assert.Equal(["# Guide", "## Section 2", "## Section 3", "## Section 4", "## Section 5"], chunks.Select(c => c.Signature));
        Assert.All(chunks.Skip(1), c => Assert.StartsWith(c.Signature!, c.Text, StringComparison.Ordinal));
        ChunkAssert.CoversEveryLineOnce(text, chunks);
    }

    [Theory]
    [InlineData("yaml")]
    [InlineData("json")]
    [InlineData("text")]
    public void ChunkWindows_LongConfigFiles_StayWithinLineAndTokenLimits(string language)
    {
        var text = language switch
        {
            "yaml" => string.Join('\n', Enumerable.Range(0, 120).Select(i => $"service{i}:\n  image: registry/app:{i}\n  replicas: {i % 4}")),
            "json" => "{\n" + string.Join(",\n", Enumerable.Range(0, 300).Select(i => $"  \"key{i}\": {{ \"value\": {i} }}")) + "\n}",
            _ => string.Join('\n', Enumerable.Range(0, 400).Select(i => i % 7 == 0 ? "" : $"line {i} of prose")),
        };
        var options = new ChunkingOptions { MaxTokens = 120, WindowLines = 40, OverlapLines = 3 };

        var chunks = new Chunker(options, new WordTokenCounter()).ChunkWindows(language, text, TestContext.Current.CancellationToken);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.True(c.EndLine - c.StartLine < options.WindowLines));
        Assert.All(chunks, c => Assert.Equal(("", ChunkKind.Window), (c.SymbolPath, c.Kind)));
        ChunkAssert.WithinBudget(chunks, options.MaxTokens);
        ChunkAssert.CoversEveryLineOnce(text, chunks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n\t\r\n ")]
    public void Chunk_EmptyOrBlankFile_GivesNoChunks(string text)
    {
        var chunker = new Chunker(new ChunkingOptions());

        Assert.Empty(chunker.ChunkWindows("markdown", text, TestContext.Current.CancellationToken));
        Assert.Empty(chunker.ChunkCode("csharp", text, [], TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ChunkWindows_OneMegabyteSingleLine_IsCutByCharactersWithinBudget()
    {
        var text = string.Concat(Enumerable.Repeat("var a=b+1;", 104_858));
        var options = new ChunkingOptions();

        var chunks = new Chunker(options, new WordTokenCounter()).ChunkWindows("javascript", text, TestContext.Current.CancellationToken);

        Assert.True(chunks.Count > 100);
        Assert.All(chunks, c => Assert.Equal((1, 1), (c.StartLine, c.EndLine)));
        ChunkAssert.WithinBudget(chunks, options.MaxTokens);
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void ChunkCode_OneMegabyteSingleLineClass_IsCutByCharactersWithinTheEstimate()
    {
        var text = "class C { const string Lorem = \"" + string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", 38_836)) + "\"; }";
        var options = new ChunkingOptions();

        var chunks = ChunkCSharp(new Chunker(options), text);

        Assert.All(chunks, c => Assert.Equal((ChunkKind.TypeHeader, 1, 1), (c.Kind, c.StartLine, c.EndLine)));
        Assert.All(chunks, c => Assert.True(c.Text.Length <= options.MaxTokens * options.CharsPerToken));
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    private IReadOnlyList<ChunkDraft> ChunkCSharp(Chunker chunker, string text)
    {
        var facts = _extractor.Extract("csharp", "a.cs", text, TestContext.Current.CancellationToken);
        return chunker.ChunkCode("csharp", text, facts.Symbols, TestContext.Current.CancellationToken);
    }

    private static string GeneratedCSharp(Random random)
    {
        var lines = new List<string> { "using System;", "", "namespace Gen;", "" };
        for (var type = random.Next(1, 4); type > 0; type--)
        {
            lines.Add($"/// <summary>Type {type}.</summary>");
            lines.Add($"public class T{type}");
            lines.Add("{");
            for (var field = random.Next(0, 4); field > 0; field--)
            {
                lines.Add($"    private int _f{field} = {random.Next(100)};");
            }

            for (var method = random.Next(0, 6); method > 0; method--)
            {
                lines.Add("");
                if (random.Next(2) == 0)
                {
                    lines.Add($"    // Method {method} explains itself.");
                }

                lines.Add($"    public int M{method}(int value)");
                lines.Add("    {");
                for (var statement = random.Next(0, 40); statement > 0; statement--)
                {
                    lines.Add(random.Next(8) == 0 ? "" : $"        value = Helper(value, {statement}) + _f1 * {random.Next(1000)};");
                }

                lines.Add("        return value;");
                lines.Add("    }");
            }

            if (random.Next(3) == 0)
            {
                lines.Add("    public int Short() => 1;");
            }

            lines.Add("}");
            lines.Add("");
        }

        return string.Join(random.Next(4) == 0 ? "\r\n" : "\n", lines);
    }
}
