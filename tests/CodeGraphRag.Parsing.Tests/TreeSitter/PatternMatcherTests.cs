using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.Parsing.TreeSitter.Matching;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

/// <summary>
/// The pattern matcher against tree-sitter's own query cursor (the reference): the same matches (pattern, captures, node
/// ranges) on real code in every language, and the query features our patterns use, one by one.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class PatternMatcherTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();

    public void Dispose() => _extractor.Dispose();

    public static TheoryData<string, string> Samples()
    {
        var data = new TheoryData<string, string>
        {
            { "python", Facts.Fixture("jwt.py") },
            { "javascript", Facts.Fixture("api.js") },
            { "typescript", Facts.Fixture("service.ts") },
            { "tsx", Facts.Fixture("Profile.tsx") },
            { "go", Facts.Fixture("server.go") },
            { "java", Facts.Fixture("OrderService.java") },
            {
                "ruby", """
                require "json"
                require_relative 'token'
                module Acme
                  class Jwt < Base::Validator
                    def self.build(opts) = new(opts)
                    def validate(token)
                      JSON.parse(token).fetch("sub") { raise Error.new("no sub") }
                      helper(token)
                      require path_for(token)
                    end
                  end
                end
                """
            },
            {
                "rust", """
                use std::collections::{HashMap, hash_map::Entry as E};
                mod inner { pub fn f() {} }
                pub trait Validate: Send + Sync { fn validate(&self, t: &str) -> bool; }
                pub struct Jwt<T> { secret: T }
                pub enum Kind { A, B }
                type Alias = Jwt<String>;
                impl<T> Validate for Jwt<T> {
                    fn validate(&self, t: &str) -> bool { helper(t) && self.secret.starts_with(t) && inner::f() == () }
                }
                impl crate::x::Y { fn z() { let m = HashMap::<u8, u8>::new(); m.get::<u8>(&1); parse::<u8>("1"); } }
                fn helper(t: &str) -> bool { t.is_empty() }
                """
            },
            {
                "c", """
                #include <stdlib.h>
                #include "point.h"
                typedef struct point { int x; } point_t;
                union u { int a; float b; };
                enum color { RED, GREEN };
                static point_t *make(void) { return malloc(sizeof(point_t)); }
                int main(void) { point_t *p = make(); p->run(p); return compute(p->x); }
                """
            },
            {
                "cpp", """
                #include <vector>
                using std::vector;
                namespace acme::auth {
                class Jwt : public Base, private Other<int> {
                 public:
                  bool validate(const std::string& t) const { return helper(t) && secret_.starts_with(t); }
                };
                struct Point { int x; };
                union U { int a; };
                enum class Color { Red };
                using Alias = Jwt;
                typedef Point P;
                bool Jwt::check() { auto* j = new Jwt(); auto v = new std::vector<int>(); return std::max<int>(1, 2) > 0 && j->validate("x"); }
                }
                """
            },
            {
                "php", """
                <?php
                namespace App\Auth;
                use App\Models\User;
                use App\Support\{Str, Arr as A};
                interface Validator { public function validate(string $t): bool; }
                trait Logs { function log() { error_log("x"); } }
                enum Suit { case Hearts; }
                function helper() { return \App\Support\Str::lower("X"); }
                class Jwt extends BaseValidator implements Validator, \Countable {
                    public function validate(string $t): bool { $u = new User(); $this?->repo->find($t); return strlen($t) > 0; }
                }
                """
            },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Matches_EqualTheQueryCursors_OnEveryLanguage(string language, string source)
    {
        var (reference, matcher) = PatternOracle.Matches(_extractor, language, source);

        Assert.NotEmpty(reference);
        Assert.Equal(reference.Order(StringComparer.Ordinal), matcher.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Facts_EqualTheQueryCursors_InOrder(string language, string source)
    {
        var (reference, matcher) = PatternOracle.Facts(language, source);

        Assert.Equal(Facts.Symbols(reference), Facts.Symbols(matcher));
        Assert.Equal(Facts.Calls(reference), Facts.Calls(matcher));
        Assert.Equal(Facts.Imports(reference), Facts.Imports(matcher));
        Assert.Equal(Facts.Inheritance(reference), Facts.Inheritance(matcher));
    }

    [Fact]
    public void ChildPatternWithoutField_MatchesEachFittingChild()
    {
        // (class_definition superclasses: (argument_list [(identifier) (attribute) (subscript)] @base)): one match per base,
        // the keyword argument skipped.
        const string source = "class A(B, mod.C, D[int], metaclass=M):\n    pass\n";

        var (reference, matcher) = PatternOracle.Matches(_extractor, "python", source);

        var bases = matcher.Where(m => m.Contains("base=", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, bases.Count);
        Assert.Equal(reference.Order(StringComparer.Ordinal), matcher.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LeadingAnchor_MatchesOnlyTheFirstNamedChild()
    {
        // (call !receiver method: (identifier) @_fn arguments: (argument_list . (string))) @import
        const string source = "require \"a\"\nrequire x, \"b\"\nrequire(\"c\")\n";

        var (reference, matcher) = PatternOracle.Matches(_extractor, "ruby", source);

        Assert.Equal(2, matcher.Count(m => m.Contains("import=call", StringComparison.Ordinal)));
        Assert.Equal(reference.Order(StringComparer.Ordinal), matcher.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NegatedField_ExcludesNodesThatHaveIt()
    {
        // (method_invocation !object name: (identifier) @call.name) vs (method_invocation object: (_) @call.qualifier ...)
        const string source = "class A { void f() { g(); this.h(); x.y().z(); } }";

        var (reference, matcher) = PatternOracle.Matches(_extractor, "java", source);

        var calls = matcher.Where(m => m.Contains("call.name=", StringComparison.Ordinal)).ToList();
        Assert.Single(calls, m => !m.Contains("call.qualifier=", StringComparison.Ordinal));
        Assert.Equal(3, calls.Count(m => m.Contains("call.qualifier=", StringComparison.Ordinal)));
        Assert.Equal(reference.Order(StringComparer.Ordinal), matcher.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NestedAlternatives_CaptureInsideWhicheverMatched()
    {
        // Go method receivers: T, *T, T[K] and *T[K] each capture the type name as @receiver.
        const string source = """
            package p
            func (a T) A() {}
            func (b *T) B() {}
            func (c G[K]) C() {}
            func (d *G[K]) D() {}
            """;

        var (reference, matcher) = PatternOracle.Matches(_extractor, "go", source);

        Assert.Equal(4, matcher.Count(m => m.Contains("receiver=type_identifier", StringComparison.Ordinal)));
        Assert.Equal(reference.Order(StringComparer.Ordinal), matcher.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LargeFiles_GrowTheCandidateAndChildBuffers()
    {
        // 3,000 calls (past the first candidate buffer) and a class with 40 bases (past the first child buffer).
        var source = "class Wide(" + string.Join(", ", Enumerable.Range(0, 40).Select(i => "B" + i)) + "):\n    pass\n"
            + string.Concat(Enumerable.Range(0, 3000).Select(i => $"f{i}(x)\n"));

        var (reference, matcher) = PatternOracle.Matches(_extractor, "python", source);

        Assert.Equal(3000, matcher.Count(m => m.Contains("call.name=identifier", StringComparison.Ordinal)));
        Assert.Equal(40, matcher.Count(m => m.Contains("base=identifier", StringComparison.Ordinal)));
        Assert.Equal(reference.Order(StringComparer.Ordinal), matcher.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AliasedAndHiddenNodes_AreFoundAsTheCursorSeesThem()
    {
        // TypeScript aliases (property_identifier, type_identifier from identifier rules) and hidden wrappers
        // (_call_signature, expression supertypes) decide which nodes the walk reports and with which type.
        const string source = """
            class A<T> extends B<T> implements C, D.E { #p = 1; m(): void { this.#q(); super.n(); new F.G(); } }
            const h = async () => { await i?.j?.(k); };
            """;

        var (reference, matcher) = PatternOracle.Matches(_extractor, "typescript", source);

        Assert.Contains(matcher, m => m.Contains("name=private_property_identifier", StringComparison.Ordinal));
        Assert.Equal(reference.Order(StringComparer.Ordinal), matcher.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("(call (argument_list)*) @call", "line 1")]
    [InlineData("(call) @c\n((identifier) @i (#eq? @i \"x\"))", "line 2")]
    [InlineData("(call \"(\" @open)", "line 1")]
    [InlineData("(call (a) . (b))", "anchor")]
    [InlineData("[(call) (method)] @x", "top-level")]
    [InlineData("(call", "expected")]
    public void Syntax_RejectsWhatTheMatcherDoesNotImplement(string query, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PatternSyntax.Parse(query));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_ReadsFieldsNegationsAnchorsAlternativesAndCaptures()
    {
        var patterns = PatternSyntax.Parse("""
            ; comment
            (call !receiver method: [(identifier) @a (constant) @b] @m arguments: (argument_list . (string))) @call
            """);

        var call = Assert.Single(patterns);
        Assert.Equal("call", call.Type);
        Assert.Equal(["receiver"], call.NegatedFields);
        Assert.Equal(["call"], call.Captures);
        Assert.Equal(2, call.Items.Count);
        Assert.Equal("method", call.Items[0].Field);
        Assert.Equal(["identifier", "constant"], call.Items[0].Pattern.Alternatives.Select(a => a.Type));
        Assert.Equal(["a"], call.Items[0].Pattern.Alternatives[0].Captures);
        Assert.Equal(["m"], call.Items[0].Pattern.Captures);
        Assert.True(Assert.Single(call.Items[1].Pattern.Alternatives[0].Items).Anchored);
    }
}
