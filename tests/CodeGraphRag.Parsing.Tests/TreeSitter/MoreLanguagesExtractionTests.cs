using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

/// <summary>The nice-to-have grammars: one small module each, checked for nesting, calls, imports and bases.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class MoreLanguagesExtractionTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Extract_Rust_QualifiesImplMethodsByTheirType()
    {
        const string source = """
            use std::collections::{HashMap, hash_map::Entry as E};

            pub trait Validate: Send {
                fn validate(&self, t: &str) -> bool;
            }

            pub struct Jwt { secret: String }

            impl Validate for Jwt {
                fn validate(&self, t: &str) -> bool { helper(t) && self.secret.starts_with(t) }
            }

            fn helper(t: &str) -> bool { HashMap::<u8, u8>::new().is_empty() }
            """;

        var facts = _extractor.Extract("rust", "src/auth/jwt.rs", source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "auth.jwt.Validate Interface 3-5 parent=",
                "auth.jwt.Validate.validate Method 4-4 parent=auth.jwt.Validate",
                "auth.jwt.Jwt Struct 7-7 parent=",
                "auth.jwt.Jwt.validate Method 10-10 parent=auth.jwt.Jwt",
                "auth.jwt.helper Function 13-13 parent=",
            ],
            Facts.Symbols(facts));
        Assert.Contains("auth.jwt.Jwt.validate -> helper @10", Facts.Calls(facts));
        Assert.Contains("auth.jwt.Jwt.validate -> self.secret :: starts_with @10", Facts.Calls(facts));
        Assert.Equal(["std::collections::hash_map [Entry] as E @1", "std::collections [HashMap] @1"], Facts.Imports(facts));
        Assert.Equal(["auth.jwt.Validate : Send @3", "auth.jwt.Jwt : Validate @9"], Facts.Inheritance(facts));
    }

    [Fact]
    public void Extract_C_FindsFunctionsThroughPointerDeclarators()
    {
        const string source = """
            #include <stdlib.h>
            #include "point.h"

            static int *make(int n) { return malloc(n); }
            int main(void) { return *make(1) + p->run(2); }
            """;

        var facts = _extractor.Extract("c", "src/main.c", source, TestContext.Current.CancellationToken);

        Assert.Equal(["make Function 4-4 parent=", "main Function 5-5 parent="], Facts.Symbols(facts));
        Assert.Equal(["make -> malloc @4", "main -> make @5", "main -> p :: run @5"], Facts.Calls(facts));
        Assert.Equal(["stdlib.h [] @1", "point.h [] @2"], Facts.Imports(facts));
    }

    [Fact]
    public void Extract_Cpp_NestsNamespacesClassesAndOutOfLineMethods()
    {
        const string source = """
            #include <vector>
            namespace acme::auth {
            class Jwt : public Base, private Other<int> {
             public:
              bool validate(const char* t) { return helper(t); }
              bool check();
            };
            bool Jwt::check() { auto p = new Jwt(); return std::max(1, 2) > 0; }
            }
            """;

        var facts = _extractor.Extract("cpp", "src/jwt.cpp", source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "acme.auth Namespace 2-9 parent=",
                "acme.auth.Jwt Class 3-7 parent=acme.auth",
                "acme.auth.Jwt.validate Method 5-5 parent=acme.auth.Jwt",
                "acme.auth.Jwt.check Method 8-8 parent=acme.auth.Jwt",
            ],
            Facts.Symbols(facts));
        Assert.Equal(
            ["acme.auth.Jwt.validate -> helper @5", "acme.auth.Jwt.check -> Jwt @8", "acme.auth.Jwt.check -> std :: max @8"],
            Facts.Calls(facts));
        Assert.Equal(["acme.auth.Jwt : Base @3", "acme.auth.Jwt : Other @3"], Facts.Inheritance(facts));
    }

    [Fact]
    public void Extract_Ruby_NestsModulesAndTreatsNewAsConstruction()
    {
        const string source = """
            require "json"
            module Acme
              class Jwt < Base::Validator
                def initialize(secret)
                  @secret = secret
                end

                def validate(t)
                  Token.new(t) && JSON.parse(t)
                end
              end
            end
            """;

        var facts = _extractor.Extract("ruby", "lib/acme/jwt.rb", source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "Acme Module 2-12 parent=",
                "Acme.Jwt Class 3-11 parent=Acme",
                "Acme.Jwt.initialize Constructor 4-6 parent=Acme.Jwt",
                "Acme.Jwt.validate Method 8-10 parent=Acme.Jwt",
            ],
            Facts.Symbols(facts));
        Assert.Equal([" -> require @1", "Acme.Jwt.validate -> Token @9", "Acme.Jwt.validate -> JSON :: parse @9"], Facts.Calls(facts));
        Assert.Equal(["json [] @1"], Facts.Imports(facts));
        Assert.Equal(["Acme.Jwt : Validator @3"], Facts.Inheritance(facts));
    }

    [Fact]
    public void Extract_Php_UsesTheNamespaceAsPrefix()
    {
        const string source = """
            <?php
            namespace App\Auth;
            use App\Models\User;
            use App\Support\{Str, Arr as A};
            class Jwt extends BaseValidator implements Validator {
                public function __construct(private string $secret) {}
                public function validate(string $t): bool { return new User($t) && $this->repo->find($t); }
            }
            """;

        var facts = _extractor.Extract("php", "src/Auth/Jwt.php", source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "App.Auth.Jwt Class 5-8 parent=",
                "App.Auth.Jwt.__construct Constructor 6-6 parent=App.Auth.Jwt",
                "App.Auth.Jwt.validate Method 7-7 parent=App.Auth.Jwt",
            ],
            Facts.Symbols(facts));
        Assert.Equal(["App.Auth.Jwt.validate -> User @7", "App.Auth.Jwt.validate -> $this->repo :: find @7"], Facts.Calls(facts));
        Assert.Equal(["App\\Models [User] @3", "App\\Support [Str] @4", "App\\Support [Arr] as A @4"], Facts.Imports(facts));
        Assert.Equal(["App.Auth.Jwt : BaseValidator @5", "App.Auth.Jwt : Validator @5"], Facts.Inheritance(facts));
    }
}
