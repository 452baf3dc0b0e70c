using CodeGraphRag.Parsing.Syntax;
using CodeGraphRag.Parsing.TreeSitter;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Parsing.Tests.TreeSitter;

[Trait("Category", TestCategories.Unit)]
public sealed class GoExtractionTests : IDisposable
{
    private readonly TreeSitterExtractor _extractor = new();
    private readonly SyntaxFacts _facts;

    public GoExtractionTests() =>
        _facts = _extractor.Extract("go", "internal/auth/server.go", Facts.Fixture("server.go"), TestContext.Current.CancellationToken);

    public void Dispose() => _extractor.Dispose();

    [Fact]
    public void Extract_Package_ReturnsTypesAndMethodsQualifiedByReceiver()
    {
        Assert.Equal(
            [
                "auth.Store Interface 12-15 parent=",
                "auth.Store.Get Method 13-13 parent=auth.Store",
                "auth.Store.Put Method 14-14 parent=auth.Store",
                "auth.Session Struct 18-21 parent=",
                "auth.Session.ID Field 19-19 parent=auth.Session",
                "auth.Session.User Field 20-20 parent=auth.Session",
                "auth.Server Struct 24-28 parent=",
                "auth.Server.store Field 26-26 parent=auth.Server",
                "auth.Server.log Field 27-27 parent=auth.Server",
                "auth.NewServer Function 31-33 parent=",
                "auth.Server.Login Method 36-53 parent=auth.Server",
                "auth.Server.Login.validate Function 38-43 parent=auth.Server.Login",
                "auth.newID Function 55-57 parent=",
            ],
            Facts.Symbols(_facts));
        Assert.Equal("func (s *Server) Login(w http.ResponseWriter, r *http.Request)", Facts.Symbol(_facts, "auth.Server.Login").Signature);
        Assert.Equal("type Server struct", Facts.Symbol(_facts, "auth.Server").Signature);
    }

    [Fact]
    public void Extract_Package_ReturnsCallsAndCompositeLiteralConstructions()
    {
        Assert.Equal(
            [
                "auth.NewServer -> Server @32",
                "auth.NewServer -> stdlog :: Default @32",
                "auth.Server.Login -> r :: FormValue @37",
                "auth.Server.Login.validate -> errors :: New @40",
                "auth.Server.Login -> validate @44",
                "auth.Server.Login -> http :: Error @45",
                "auth.Server.Login -> err :: Error @45",
                "auth.Server.Login -> Session @48",
                "auth.Server.Login -> newID @48",
                "auth.Server.Login -> s.store :: Put @49",
                "auth.Server.Login -> s.log :: Printf @50",
                "auth.Server.Login -> fmt :: Fprintf @52",
                "auth.newID -> fmt :: Sprint @56",
                "auth.newID -> len @56",
            ],
            Facts.Calls(_facts));
    }

    [Fact]
    public void Extract_Package_ReturnsImportSpecsAndEmbedding()
    {
        Assert.Equal(["errors [] @5", "fmt [] @6", "log [] as stdlog @7", "net/http [] @8"], Facts.Imports(_facts));
        Assert.Equal(["auth.Server : Handler @25"], Facts.Inheritance(_facts));
    }
}
