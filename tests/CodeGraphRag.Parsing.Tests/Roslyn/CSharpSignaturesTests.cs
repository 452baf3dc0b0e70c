using CodeGraphRag.Parsing.Roslyn;
using CodeGraphRag.TestInfrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CodeGraphRag.Parsing.Tests.Roslyn;

/// <summary>Declaration headers read from the source text equal the ones joined from tokens, or are declined.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class CSharpSignaturesTests
{
    private const string Source = """
        namespace Acme.Auth;

        [Serializable]
        public sealed partial class Validator<TKey, TValue> : Base<TKey>,
            IValidator   where TKey : notnull
            where TValue : class, new()
        {
            private readonly int _a = 1, _b;
            public event EventHandler? Changed;
            public int Count { get; private set; }
            public string this[int index] => index.ToString();
            public static Validator<TKey, TValue> operator +(Validator<TKey, TValue> left, int right) => left;
            public static implicit operator int(Validator<TKey, TValue> v) => 0;
            internal async Task<bool?> ValidateAsync(
                TKey key,
                IReadOnlyList<TValue>   values,
                CancellationToken cancellationToken = default)
            {
                int Local(int x) => x * 2;
                return await Task.FromResult<bool?>(Local(1) > 0);
            }
            public void Describe(string name = "a  b") { }
            public void Commented(int x /* the x */, int y) { }
            public void Directive(
        #if DEBUG
                int debug,
        #endif
                int always) { }
            public void Unicode(int größe) { }
            ~Validator() { }
            public delegate void Handler(object sender, EventArgs e);
        }
        """;

    [Fact]
    public void HeaderFromText_EqualsTheTokenHeader_ForEveryDeclarationPrefix()
    {
        var tree = CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Preview));
        var text = tree.GetText(TestContext.Current.CancellationToken);
        var compared = 0;
        foreach (var declaration in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<MemberDeclarationSyntax>())
        {
            // Every header a declaration can have starts at its first token and ends before one of its tokens.
            var tokens = declaration.DescendantTokens().Where(t => !t.Parent!.AncestorsAndSelf().OfType<AttributeListSyntax>().Any()).Take(40).ToList();
            var start = tokens[0].SpanStart;
            foreach (var end in tokens.Skip(1).Select(t => t.SpanStart).Append(tokens[^1].Span.End))
            {
                if (CSharpSignatures.HeaderFromText(text, start, end) is { } fromText)
                {
                    Assert.Equal(CSharpSignatures.HeaderFromTokens(declaration, start, end), fromText);
                    compared++;
                }
            }
        }

        Assert.True(compared > 200, $"only {compared} headers compared");
    }

    [Theory]
    [InlineData("public void Describe(string name = \"a  b\")")]
    [InlineData("public void Commented(int x /* the x */, int y)")]
    [InlineData("public void Unicode(int größe)")]
    public void HeaderFromText_DeclinesHeadersWhoseTriviaOrLiteralsCouldDiffer(string header)
    {
        var start = Source.IndexOf(header, StringComparison.Ordinal);

        Assert.Null(CSharpSignatures.HeaderFromText(Microsoft.CodeAnalysis.Text.SourceText.From(Source), start, start + header.Length));
    }

    [Fact]
    public void HeaderFromText_DeclinesDirectivesAndOverlongHeaders()
    {
        var text = Microsoft.CodeAnalysis.Text.SourceText.From(Source);
        var directive = Source.IndexOf("public void Directive(", StringComparison.Ordinal);
        var always = Source.IndexOf("int always)", StringComparison.Ordinal);

        Assert.Null(CSharpSignatures.HeaderFromText(text, directive, always));
        Assert.Null(CSharpSignatures.HeaderFromText(text, 0, 401));
        Assert.Equal(
            "internal async Task<bool?> ValidateAsync( TKey key, IReadOnlyList<TValue> values, CancellationToken cancellationToken = default)",
            CSharpSignatures.HeaderFromText(text, Source.IndexOf("internal async", StringComparison.Ordinal), Source.LastIndexOf('{', Source.IndexOf("int Local", StringComparison.Ordinal))));
    }
}
