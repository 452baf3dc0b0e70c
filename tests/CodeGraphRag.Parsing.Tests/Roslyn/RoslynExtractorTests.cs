using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Roslyn;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.Roslyn;

[Trait("Category", TestCategories.Unit)]
public sealed class RoslynExtractorTests
{
    private const string Ns = "Acme.Auth";
    private const string Jwt = "Acme.Auth.JwtValidator";

    private readonly RoslynExtractor _extractor = new();

    [Fact]
    public void Extract_Fixture_ReturnsEverySymbolWithSpanParentAndSignature()
    {
        var facts = _extractor.Extract("csharp", "src/JwtValidator.cs", Fixture.Read("JwtValidator.cs"), TestContext.Current.CancellationToken);

        SymbolInfo[] expected =
        [
            new(Ns, Ns, SymbolKind.Namespace, 7, 95, null, "namespace Acme.Auth"),
            new($"{Ns}.ValidationResult", "ValidationResult", SymbolKind.Record, 10, 13, Ns,
                "public sealed record ValidationResult(bool IsValid, string? Subject, IReadOnlyList<string> Errors)"),
            new($"{Ns}.ValidationResult.Failed", "Failed", SymbolKind.Method, 12, 12, $"{Ns}.ValidationResult",
                "public static ValidationResult Failed(params string[] errors)"),
            new($"{Ns}.ITokenValidator", "ITokenValidator", SymbolKind.Interface, 15, 20, Ns, "public interface ITokenValidator"),
            new($"{Ns}.ITokenValidator.Validate", "Validate", SymbolKind.Method, 17, 17, $"{Ns}.ITokenValidator",
                "ValidationResult Validate(string token)"),
            new($"{Ns}.ITokenValidator.Validate`2", "Validate", SymbolKind.Method, 19, 19, $"{Ns}.ITokenValidator",
                "ValidationResult Validate(string token, DateTimeOffset now)"),
            new($"{Ns}.ValidatorBase", "ValidatorBase", SymbolKind.Class, 22, 26, Ns,
                "public abstract class ValidatorBase<TOptions>(TOptions options) where TOptions : class"),
            new($"{Ns}.ValidatorBase.Options", "Options", SymbolKind.Property, 25, 25, $"{Ns}.ValidatorBase",
                "protected TOptions Options { get; }"),
            new(Jwt, "JwtValidator", SymbolKind.Class, 29, 85, Ns,
                "public sealed class JwtValidator : ValidatorBase<JwtOptions>, ITokenValidator"),
            new($"{Jwt}.MaxTokenLength", "MaxTokenLength", SymbolKind.Field, 32, 32, Jwt, "private const int MaxTokenLength"),
            new($"{Jwt}._clock", "_clock", SymbolKind.Field, 33, 33, Jwt, "private readonly TimeProvider _clock"),
            new($"{Jwt}._failures", "_failures", SymbolKind.Field, 34, 34, Jwt, "private readonly Dictionary<string, int> _failures"),
            new($"{Jwt}._spare", "_spare", SymbolKind.Field, 34, 34, Jwt, "private readonly Dictionary<string, int> _spare"),
            new($"{Jwt}.JwtValidator", "JwtValidator", SymbolKind.Constructor, 36, 40, Jwt,
                "public JwtValidator(JwtOptions options, TimeProvider clock) : base(options)"),
            new($"{Jwt}.Rejected", "Rejected", SymbolKind.Field, 42, 42, Jwt, "public event EventHandler<string>? Rejected"),
            new($"{Jwt}.FailureCount", "FailureCount", SymbolKind.Property, 44, 47, Jwt, "public int FailureCount"),
            new($"{Jwt}.Issuer", "Issuer", SymbolKind.Property, 49, 49, Jwt, "public string Issuer { get; init; }"),
            new($"{Jwt}.Validate", "Validate", SymbolKind.Method, 51, 51, Jwt, "public ValidationResult Validate(string token)"),
            new($"{Jwt}.Validate`2", "Validate", SymbolKind.Method, 53, 74, Jwt,
                "public ValidationResult Validate(string token, DateTimeOffset now)"),
            new($"{Jwt}.Validate`2.Split", "Split", SymbolKind.Function, 73, 73, $"{Jwt}.Validate`2", "static string[] Split(string value)"),
            new($"{Jwt}.CreateCounters", "CreateCounters", SymbolKind.Method, 76, 76, Jwt, "private static Dictionary<string, int> CreateCounters()"),
            new($"{Jwt}.Decode", "Decode", SymbolKind.Method, 78, 79, Jwt, "private static string Decode(string segment)"),
            new($"{Jwt}.Record", "Record", SymbolKind.Method, 81, 84, Jwt, "private void Record(string reason)"),
            new($"{Ns}.JwtOptions", "JwtOptions", SymbolKind.Record, 87, 87, Ns, "public sealed record JwtOptions(string Audience)"),
            new($"{Ns}.Payload", "Payload", SymbolKind.Record, 89, 89, Ns,
                "internal sealed record Payload(string Subject, DateTimeOffset ExpiresAt)"),
            new($"{Ns}.TokenKind", "TokenKind", SymbolKind.Enum, 91, 95, Ns, "public enum TokenKind"),
        ];

        Assert.Equal(expected, facts.Symbols);
        Assert.Equal(0, facts.SyntaxErrors);
    }

    [Fact]
    public void Extract_Fixture_ReturnsPlainMemberConditionalAndConstructorCalls()
    {
        var facts = _extractor.Extract("csharp", "src/JwtValidator.cs", Fixture.Read("JwtValidator.cs"), TestContext.Current.CancellationToken);

        CallReference[] expected =
        [
            new($"{Jwt}._failures", "CreateCounters", null, 34),
            new($"{Jwt}.FailureCount", "Sum", "_failures.Values", 46),
            new($"{Jwt}.Validate", "Validate", null, 51),
            new($"{Jwt}.Validate", "GetUtcNow", "_clock", 51),
            new($"{Jwt}.Validate`2", "Failed", "ValidationResult", 58),
            new($"{Jwt}.Validate`2", "Split", null, 61),
            new($"{Jwt}.Validate`2", "Deserialize", "Json", 62),
            new($"{Jwt}.Validate`2", "Decode", null, 62),
            new($"{Jwt}.Validate`2", "Min", null, 62),
            new($"{Jwt}.Validate`2", "Record", null, 65),
            new($"{Jwt}.Validate`2", "Failed", "ValidationResult", 66),
            new($"{Jwt}.Validate`2", "Append", "new StringBuilder()", 69),
            new($"{Jwt}.Validate`2", "StringBuilder", null, 69),
            new($"{Jwt}.Validate`2", "Invoke", "Rejected", 70),
            new($"{Jwt}.Validate`2", "ToString", "log", 70),
            new($"{Jwt}.Validate`2", "ValidationResult", null, 71),
            new($"{Jwt}.Validate`2.Split", "Split", "value", 73),
            new($"{Jwt}.CreateCounters", "Dictionary", "System.Collections.Generic", 76),
            new($"{Jwt}.Decode", "GetString", "Encoding.UTF8", 79),
            new($"{Jwt}.Decode", "FromBase64String", "Convert", 79),
            new($"{Jwt}.Record", "GetValueOrDefault", "_failures", 83),
        ];

        Assert.Equal(expected, facts.Calls);
    }

    [Fact]
    public void Extract_Fixture_ReturnsUsingsAndBaseTypes()
    {
        var facts = _extractor.Extract("csharp", "src/JwtValidator.cs", Fixture.Read("JwtValidator.cs"), TestContext.Current.CancellationToken);

        Assert.Equal(
            [("System.Linq", (string?)null, 2), ("System.Text", null, 3), ("System.Math", null, 4), ("System.Text.Json.JsonSerializer", "Json", 5)],
            facts.Imports.Select(i => (i.Module, i.Alias, i.Line)));
        Assert.All(facts.Imports, i => Assert.Empty(i.Names));
        Assert.Equal(
            [new InheritanceInfo(Jwt, "ValidatorBase", 30), new InheritanceInfo(Jwt, "ITokenValidator", 30)],
            facts.Inheritance);
    }

    [Fact]
    public void Extract_BlockNamespacesAndNestedTypes_QualifiesThroughEveryLevel()
    {
        const string Source = """
            namespace Outer
            {
                namespace Inner.Deep
                {
                    public class Host<T> : global::Data.Repository<T>, IDisposable
                    {
                        public class Nested { public void Run() { } }
                        public void Dispose() { }
                        ~Host() { }
                        public int this[int index] => index;
                        public static Host<T> operator +(Host<T> a, Host<T> b) => a;
                    }
                }
            }
            namespace Outer
            {
                delegate void Handler(string name);
            }
            """;

        var facts = _extractor.Extract("csharp", "a.cs", Source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "Outer", "Outer.Inner.Deep", "Outer.Inner.Deep.Host", "Outer.Inner.Deep.Host.Nested", "Outer.Inner.Deep.Host.Nested.Run",
                "Outer.Inner.Deep.Host.Dispose", "Outer.Inner.Deep.Host.~Host", "Outer.Inner.Deep.Host.this[]",
                "Outer.Inner.Deep.Host.operator +", "Outer.Handler",
            ],
            facts.Symbols.Select(s => s.QualifiedName));
        Assert.Equal(SymbolKind.TypeAlias, facts.Symbols[^1].Kind);
        Assert.Equal("Outer", facts.Symbols[^1].ParentQualifiedName);
        Assert.Equal(["Repository", "IDisposable"], facts.Inheritance.Select(i => i.BaseName));
    }

    [Fact]
    public void Extract_TopLevelStatements_AttributesCallsToTheEmptyCaller()
    {
        const string Source = """
            using System;
            Console.WriteLine(Greet("x"));
            static string Greet(string name) => name.ToUpperInvariant();
            """;

        var facts = _extractor.Extract("csharp", "Program.cs", Source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [new CallReference("", "WriteLine", "Console", 2), new CallReference("", "Greet", null, 2), new CallReference("Greet", "ToUpperInvariant", "name", 3)],
            facts.Calls);
        Assert.Equal(new SymbolInfo("Greet", "Greet", SymbolKind.Function, 3, 3, null, "static string Greet(string name)"), Assert.Single(facts.Symbols));
    }

    [Fact]
    public void Extract_CallShapes_NormalisesReceiversAndSkipsNonCalls()
    {
        const string Source = """
            class C
            {
                void M(Service a, Service? b, object x)
                {
                    a?.Inner.Run();
                    b!.Stop<int>();
                    Make<string>();
                    global::System.Console.WriteLine(nameof(x));
                    var f = new Acme.Data.Store<int>();
                    Store s = new();
                    var d = new global::Acme.Clock();
                    a.Items[0].Get().Flush();
                }
            }
            """;

        var facts = _extractor.Extract("csharp", "c.cs", Source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                ("Run", "a.Inner", 5), ("Stop", "b", 6), ("Make", null, 7), ("WriteLine", "System.Console", 8),
                ("Store", "Acme.Data", 9), ("Clock", "Acme", 11), ("Flush", "a.Items[].Get()", 12), ("Get", "a.Items[]", 12),
            ],
            facts.Calls.Select(c => (c.Name, c.Qualifier, c.Line)));
        Assert.All(facts.Calls, c => Assert.Equal("C.M", c.CallerQualifiedName));
    }

    [Fact]
    public void Extract_ExtensionBlock_MembersBelongToTheStaticClass()
    {
        const string Source = """
            static class StringExtensions
            {
                extension(string value)
                {
                    public bool IsBlank() => string.IsNullOrWhiteSpace(value);
                }
            }
            """;

        var facts = _extractor.Extract("csharp", "e.cs", Source, TestContext.Current.CancellationToken);

        Assert.Equal(["StringExtensions", "StringExtensions.IsBlank"], facts.Symbols.Select(s => s.QualifiedName));
        Assert.Equal(0, facts.SyntaxErrors);
    }

    [Fact]
    public void Extract_CrLfLineEndings_GiveTheSameLinesAsLf()
    {
        var lf = Fixture.Read("JwtValidator.cs").ReplaceLineEndings("\n");
        var crlf = lf.Replace("\n", "\r\n", StringComparison.Ordinal);

        var fromLf = _extractor.Extract("csharp", "a.cs", lf, TestContext.Current.CancellationToken);
        var fromCrLf = _extractor.Extract("csharp", "a.cs", crlf, TestContext.Current.CancellationToken);

        Assert.Equal(fromLf.Symbols, fromCrLf.Symbols);
        Assert.Equal(fromLf.Calls, fromCrLf.Calls);
    }

    [Theory]
    [InlineData("class { void ( }} ]] namespace ;; \0\0\u0001 ")]
    [InlineData("public class A { public void M() { if (x { } ")]
    [InlineData("\uFEFF#if DEBUG\nclass")]
    public void Extract_MalformedInput_CountsErrorsWithoutThrowing(string source)
    {
        var facts = _extractor.Extract("csharp", "bad.cs", source, TestContext.Current.CancellationToken);

        Assert.True(facts.SyntaxErrors > 0);
    }

    [Fact]
    public void Extract_DeeplyNestedExpression_DoesNotThrow()
    {
        var source = $"class C {{ int M() => {new string('(', 1200)}1{new string(')', 1200)} + F(); }}";

        var facts = _extractor.Extract("csharp", "deep.cs", source, TestContext.Current.CancellationToken);

        Assert.Contains(facts.Symbols, s => s.QualifiedName == "C.M");
    }

    [Fact]
    public void Extract_ConcurrentFiles_GiveTheSameFactsAsSequentialRuns()
    {
        var source = Fixture.Read("JwtValidator.cs");
        var expected = _extractor.Extract("csharp", "a.cs", source, TestContext.Current.CancellationToken);

        var same = new bool[16];
        Parallel.For(0, same.Length, i =>
        {
            var facts = _extractor.Extract("csharp", "a.cs", source, TestContext.Current.CancellationToken);
            same[i] = facts.Symbols.SequenceEqual(expected.Symbols) && facts.Calls.SequenceEqual(expected.Calls);
        });

        Assert.All(same, Assert.True);
    }
}
