using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class JavaScriptExtractionTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();
    private readonly SyntaxFacts _facts;

    public JavaScriptExtractionTests() =>
        _facts = _extractor.Extract("javascript", "src/routes/api.js", Facts.Fixture("api.js"), TestContext.Current.CancellationToken);

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Extract_Module_ReturnsClassesMethodsAndNestedFunctions()
    {
        Assert.Equal(
            [
                "src.routes.api.HttpError Class 9-14 parent=",
                "src.routes.api.HttpError.constructor Constructor 10-13 parent=src.routes.api.HttpError",
                "src.routes.api.UserController Class 16-31 parent=",
                "src.routes.api.UserController.#store Field 17-17 parent=src.routes.api.UserController",
                "src.routes.api.UserController.constructor Constructor 19-22 parent=src.routes.api.UserController",
                "src.routes.api.UserController.show Method 24-30 parent=src.routes.api.UserController",
                "src.routes.api.createRouter Function 33-43 parent=",
                "src.routes.api.createRouter.wrap Function 37-39 parent=src.routes.api.createRouter",
                "src.routes.api.readConfig Function 45-45 parent=",
            ],
            Facts.Symbols(_facts));
        Assert.Equal("function createRouter(store)", Facts.Symbol(_facts, "src.routes.api.createRouter").Signature);
        Assert.Equal("readConfig = async (file)", Facts.Symbol(_facts, "src.routes.api.readConfig").Signature);
    }

    [Fact]
    public void Extract_Module_ReturnsPlainMemberAndConstructorCalls()
    {
        Assert.Equal(
            [
                " -> require @6",
                " -> require @7",
                "src.routes.api.UserController.constructor -> UserStore @21",
                "src.routes.api.UserController.constructor -> path :: join @21",
                "src.routes.api.UserController.constructor -> process :: cwd @21",
                "src.routes.api.UserController.show -> this.#store :: find @25",
                "src.routes.api.UserController.show -> HttpError @27",
                "src.routes.api.UserController.show -> res :: json @29",
                "src.routes.api.createRouter -> express :: Router @34",
                "src.routes.api.createRouter -> UserController @35",
                "src.routes.api.createRouter.wrap -> handler @38",
                "src.routes.api.createRouter.wrap -> handler(req, res) :: catch @38",
                "src.routes.api.createRouter -> router :: get @41",
                "src.routes.api.createRouter -> wrap @41",
                "src.routes.api.createRouter -> controller.show :: bind @41",
                "src.routes.api.readConfig -> JSON :: parse @45",
                "src.routes.api.readConfig -> promisify @45",
            ],
            Facts.Calls(_facts));
    }

    [Fact]
    public void Extract_Module_ReturnsEsImportsAndRequires()
    {
        Assert.Equal(
            [
                "express [] as express @2",
                "node:path [] as path @3",
                "./store.js [AuditLog] as Audit @4",
                "./store.js [UserStore] @4",
                "./polyfills.js [] @5",
                "util [promisify] @6",
                "fs [] as fs @7",
            ],
            Facts.Imports(_facts));
    }

    [Fact]
    public void Extract_Module_ReturnsExtendsClauses()
    {
        Assert.Equal(
            ["src.routes.api.HttpError : Error @9", "src.routes.api.UserController : Controller @16"],
            Facts.Inheritance(_facts));
    }

    [Fact]
    public void Extract_AccessorsAndCommonJsExports_BecomePropertiesAndFunctions()
    {
        const string source = """
            class Temperature {
              get celsius() { return this.c; }
              set celsius(v) { this.c = v; }
              static get zero() { return new Temperature(); }
            }
            exports.parse = (text) => Number.parseFloat(text);
            """;

        var facts = _extractor.Extract("javascript", "lib/temp.js", source, TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "lib.temp.Temperature Class 1-5 parent=",
                "lib.temp.Temperature.celsius Property 2-2 parent=lib.temp.Temperature",
                "lib.temp.Temperature.celsius`2 Property 3-3 parent=lib.temp.Temperature",
                "lib.temp.Temperature.zero Property 4-4 parent=lib.temp.Temperature",
                "lib.temp.parse Function 6-6 parent=",
            ],
            Facts.Symbols(facts));
        Assert.Contains("lib.temp.parse -> Number :: parseFloat @6", Facts.Calls(facts));
    }

    [Fact]
    public void Extract_CommentInsideImportBraces_IsSkipped()
    {
        // Regression: reading the missing fields of a comment node through the C API crashed the process.
        const string source = "import { // eslint-disable-line\n  a,\n  b as c,\n} from './m.js';\n";

        var facts = _extractor.Extract("javascript", "x.js", source, TestContext.Current.CancellationToken);

        Assert.Equal(["./m.js [b] as c @1", "./m.js [a] @1"], Facts.Imports(facts));
    }

    [Fact]
    public void Extract_IndexFile_NamesItsFolder()
    {
        var facts = _extractor.Extract("javascript", "lib/auth/index.js", "export function login() {}\n", TestContext.Current.CancellationToken);

        Assert.Equal("lib.auth.login", Assert.Single(facts.Symbols).QualifiedName);
    }
}
