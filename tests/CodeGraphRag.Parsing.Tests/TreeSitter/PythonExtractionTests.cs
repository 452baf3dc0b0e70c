using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class PythonExtractionTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();
    private readonly SyntaxFacts _facts;

    public PythonExtractionTests() =>
        _facts = _extractor.Extract("python", "pkg/auth/jwt.py", Facts.Fixture("jwt.py"), TestContext.Current.CancellationToken);

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Extract_Module_ReturnsNestedSymbolsWithDecoratorSpans()
    {
        Assert.Equal(
            [
                "pkg.auth.jwt.Validator Class 9-13 parent=",
                "pkg.auth.jwt.Validator.validate Method 12-13 parent=pkg.auth.jwt.Validator",
                "pkg.auth.jwt.JwtValidator Class 16-36 parent=",
                "pkg.auth.jwt.JwtValidator.__init__ Constructor 20-22 parent=pkg.auth.jwt.JwtValidator",
                "pkg.auth.jwt.JwtValidator.decode Method 24-27 parent=pkg.auth.jwt.JwtValidator",
                "pkg.auth.jwt.JwtValidator.validate Method 29-36 parent=pkg.auth.jwt.JwtValidator",
                "pkg.auth.jwt.JwtValidator.validate.expired Function 30-31 parent=pkg.auth.jwt.JwtValidator.validate",
                "pkg.auth.jwt.make_validator Function 39-40 parent=",
            ],
            Facts.Symbols(_facts));
        Assert.Equal(0, _facts.SyntaxErrors);
    }

    [Fact]
    public void Extract_Module_SignaturesAreOneLineHeaders()
    {
        Assert.Equal("class JwtValidator(Validator, Generic[T], metaclass=Registry)", Facts.Symbol(_facts, "pkg.auth.jwt.JwtValidator").Signature);
        Assert.Equal("def __init__(self, secret: str, clock: Optional[Clock] = None) -> None", Facts.Symbol(_facts, "pkg.auth.jwt.JwtValidator.__init__").Signature);
        Assert.Equal("validate", Facts.Symbol(_facts, "pkg.auth.jwt.JwtValidator.validate").Name);
    }

    [Fact]
    public void Extract_Module_ReturnsCallsWithInnermostCaller()
    {
        Assert.Equal(
            [
                "pkg.auth.jwt.Validator.validate -> NotImplementedError @13",
                " -> register @16",
                "pkg.auth.jwt.JwtValidator.__init__ -> SystemClock @22",
                "pkg.auth.jwt.JwtValidator.decode -> token :: split @26",
                "pkg.auth.jwt.JwtValidator.decode -> jsonlib :: loads @27",
                "pkg.auth.jwt.JwtValidator.validate.expired -> time :: time @31",
                "pkg.auth.jwt.JwtValidator.validate -> self :: decode @33",
                "pkg.auth.jwt.JwtValidator.validate -> expired @34",
                "pkg.auth.jwt.JwtValidator.validate -> Expired @35",
                "pkg.auth.jwt.JwtValidator.validate -> hashlib :: sha256 @36",
                "pkg.auth.jwt.JwtValidator.validate -> hashlib.sha256(self.secret.encode()) :: hexdigest @36",
                "pkg.auth.jwt.JwtValidator.validate -> self.secret :: encode @36",
                "pkg.auth.jwt.make_validator -> JwtValidator @40",
            ],
            Facts.Calls(_facts));
    }

    [Fact]
    public void Extract_Module_ReturnsImportsWithNamesAndAliases()
    {
        Assert.Equal(
            [
                "hashlib [] @2",
                "json [] as jsonlib @3",
                "time [] @3",
                "typing [Optional] @4",
                ".errors [ExpiredError] as Expired @5",
                ".errors [TokenError] @5",
                "..core.clock [*] @6",
            ],
            Facts.Imports(_facts));
    }

    [Fact]
    public void Extract_Module_ReturnsBasesWithoutGenericArgumentsOrKeywords()
    {
        Assert.Equal(
            ["pkg.auth.jwt.JwtValidator : Validator @17", "pkg.auth.jwt.JwtValidator : Generic @17"],
            Facts.Inheritance(_facts));
    }

    [Theory]
    [InlineData("pkg/auth/__init__.py", "pkg.auth.helper")]
    [InlineData("src/pkg/util.py", "pkg.util.helper")]
    [InlineData("tool.py", "tool.helper")]
    public void Extract_ModulePath_BecomesDottedPrefix(string path, string expected)
    {
        var facts = _extractor.Extract("python", path, "def helper():\n    pass\n", TestContext.Current.CancellationToken);

        Assert.Equal(expected, Assert.Single(facts.Symbols).QualifiedName);
    }

    [Fact]
    public void Extract_PropertyDecorators_MakeProperties()
    {
        const string source = """
            class Account:
                @property
                def balance(self):
                    return self._balance

                @balance.setter
                def balance(self, value):
                    self._balance = value

                @functools.cached_property
                def owner(self):
                    return lookup(self)
            """;

        var facts = _extractor.Extract("python", "bank/account.py", source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "bank.account.Account Class 1-12 parent=",
                "bank.account.Account.balance Property 2-4 parent=bank.account.Account",
                "bank.account.Account.balance`2 Property 6-8 parent=bank.account.Account",
                "bank.account.Account.owner Property 10-12 parent=bank.account.Account",
            ],
            Facts.Symbols(facts));
    }

    [Fact]
    public void Extract_Overloads_GetNumberedSuffixes()
    {
        const string source = "class A:\n    def f(self): pass\n    def f(self, x): pass\n    def f(self, x, y): pass\n";

        var facts = _extractor.Extract("python", "m.py", source, TestContext.Current.CancellationToken);

        Assert.Equal(["m.A", "m.A.f", "m.A.f`2", "m.A.f`3"], facts.Symbols.Select(s => s.QualifiedName));
    }
}
