using System.Text;
using CodeGraphRag.Embeddings.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Embeddings.Tests.Internals;

/// <summary>The ASCII fast path must count exactly what <c>BertTokenizer.Encode</c> produces, or chunk boundaries would move.</summary>
public sealed class AsciiWordPieceCounterTests
{
    private static readonly WordPieceTokenizer Arctic = new(ModelDescriptor.From(new OnnxEmbeddingOptions()));
    private static readonly WordPieceTokenizer MiniLm = new(ModelDescriptor.From(new OnnxEmbeddingOptions { Model = "minilm" }));

    public static TheoryData<string> Models => ["arctic", "minilm"];

    [Theory]
    [MemberData(nameof(Models))]
    public void CountTokens_ThisRepositorysSourcesLineByLineAndWhole_EqualsTokenizer(string model)
    {
        var tokenizer = Tokenizer(model);
        var files = Directory.EnumerateFiles(Fixtures.RepositoryRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetExtension(f) is ".cs" or ".py" or ".go" or ".java" or ".ts" or ".tsx" or ".js" or ".md" or ".yaml" or ".json" or ".sh")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 300, $"only {files.Count} source files found under {Fixtures.RepositoryRoot}");

        var lines = 0;
        var fastLines = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var line in text.Split('\n'))
            {
                lines++;
                fastLines += new AsciiProbe(line).IsAscii ? 1 : 0;
                Assert.True(tokenizer.CountWithTokenizer(line, 100_000) == tokenizer.CountTokens(line.AsSpan(), 100_000), $"{file}: '{line}'");
            }

            Assert.Equal(tokenizer.CountWithTokenizer(text, 1_000_000), tokenizer.CountTokens(text, 1_000_000));
            Assert.Equal(tokenizer.CountWithTokenizer(text, 512), tokenizer.CountTokens(text, 512));
        }

        // The comparison is only meaningful if the fast path ran on nearly all of it.
        Assert.True(fastLines > lines * 0.9, $"{fastLines} of {lines} lines were plain ASCII");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void CountTokens_RandomAsciiWithPunctuationLongWordsAndSpecialTokens_EqualsTokenizer(string model)
    {
        var tokenizer = Tokenizer(model);
        var random = new Random(20261127);
        string[] pieces =
        [
            "getUserName", "HTTPServer", "x509", "0xDEADBEEF", "__init__", "snake_case_name", "CamelCase", "ALLCAPS", "a", "Z",
            "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "[cls]", "[CLS", "CLS]", "##ing", "##", "unaffable", "qzxjkvw",
            new string('q', 150), new string('a', 101) + "B", "3.14159", "1e-9", "i++", "=>", "::", "->", "/*", "*/", "#!",
        ];
        const string punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        for (var i = 0; i < 3000; i++)
        {
            var sb = new StringBuilder();
            var parts = random.Next(1, 30);
            for (var p = 0; p < parts; p++)
            {
                switch (random.Next(5))
                {
                    case 0:
                        sb.Append(pieces[random.Next(pieces.Length)]);
                        break;
                    case 1:
                        sb.Append(punctuation[random.Next(punctuation.Length)]);
                        break;
                    case 2:
                        sb.Append(" \t\r\n"[random.Next(4)]);
                        break;
                    default:
                        for (var c = random.Next(1, 14); c > 0; c--)
                        {
                            sb.Append((char)random.Next(' ', '~' + 1));
                        }

                        break;
                }
            }

            var text = sb.ToString();
            foreach (var limit in (int[])[1, 3, 17, 100_000])
            {
                Assert.True(tokenizer.CountWithTokenizer(text, limit) == tokenizer.CountTokens(text, limit), $"limit {limit}: '{text}'");
            }
        }
    }

    [Theory]
    [InlineData("naïve café")]
    [InlineData("über = Größe(x)")]
    [InlineData("a\u0001b")]
    [InlineData("form\ffeed\vtab")]
    [InlineData("数据 = load()")]
    [InlineData("emoji 🎉 done")]
    [InlineData("x = [CLS] + y")]
    public void CountTokens_TextTheFastPathDeclines_StillEqualsTokenizer(string text)
    {
        Assert.False(new AsciiProbe(text).IsAscii && !text.Contains("[CLS]", StringComparison.Ordinal), "the case must exercise the fallback");
        foreach (var tokenizer in new[] { Arctic, MiniLm })
        {
            Assert.Equal(tokenizer.CountWithTokenizer(text, 1000), tokenizer.CountTokens(text, 1000));
            Assert.Equal(tokenizer.CountWithTokenizer(text, 1000), tokenizer.CountTokens(text.AsSpan(), 1000));
        }
    }

    [Fact]
    public void TryCount_KnownSplits_CountsGreedyPiecesAndUnknownWords()
    {
        var counter = new AsciiWordPieceCounter(["[UNK]", "[CLS]", "un", "##aff", "##able", "get", "##user", "##name", "(", ")", "x"], lowercase: true, ["[CLS]"]);

        Assert.True(counter.TryCount("unaffable", 100, out var count));
        Assert.Equal(3, count);
        Assert.True(counter.TryCount("getUserName()", 100, out count));
        Assert.Equal(5, count); // get ##user ##name ( )
        Assert.True(counter.TryCount("unq x", 100, out count));
        Assert.Equal(2, count); // "unq" cannot be split: one [UNK]; then x
        Assert.True(counter.TryCount("getUserName()", 2, out count));
        Assert.Equal(2, count);
        Assert.False(counter.TryCount("[CLS] x", 100, out _));
        Assert.False(counter.TryCount("caf\u00e9", 100, out _));
    }

    private static WordPieceTokenizer Tokenizer(string model) => model == "arctic" ? Arctic : MiniLm;

    private readonly record struct AsciiProbe(string Text)
    {
        public bool IsAscii => Text.All(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c <= '~'));
    }
}
