using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.Output;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests.Output;

/// <summary>
/// Pins the exact bytes of <c>cgr search --json</c>: property names and order, score rounding, the explicit null repo,
/// the absent <c>files</c> array, relaxed escaping of non-ASCII and HTML-sensitive characters, and indentation.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SearchJsonTests
{
    private static readonly SearchHit Hit = new(
        1, "chunk-1", "acme", "src/Wörk.cs", 10, 24, "Acme.Retry<T>.Run", ChunkKind.TypeHeader, "csharp", 0.123456789,
        new Dictionary<string, double>(StringComparer.Ordinal) { ["lexical"] = 0.5, ["dense"] = 1 / 3.0, ["mention"] = 1 },
        "if (a < b && c > d)\n\t\"quoted\" + 'x' — ünïcode 🚀",
        [
            new RelatedCode(GraphRelation.Caller, "acme", "src/Main.cs", "Acme.Main", 3, 9),
            new RelatedCode(GraphRelation.BaseType, "acme", "src/Base.cs", "Acme.Base", 1, 2),
        ],
        FileClass.Test);

    [Fact]
    public void Write_HitsWithoutFilesAndNoRepo_IsTheDocumentedDocument()
    {
        var response = new SearchResponse("naïve \"retry\" <T> + backoff", SearchMode.HybridGraph, [Hit], TimeSpan.FromMilliseconds(12.34));

        var output = new StringWriter();
        SearchJson.Write(output, response, repository: null);

        Assert.Equal(Golden("""
            {
              "query": "naïve \"retry\" <T> + backoff",
              "repo": null,
              "mode": "hybrid+graph",
              "elapsedMs": 12.3,
              "hits": [
                {
                  "rank": 1,
                  "repository": "acme",
                  "path": "src/Wörk.cs",
                  "startLine": 10,
                  "endLine": 24,
                  "symbol": "Acme.Retry<T>.Run",
                  "kind": "typeHeader",
                  "language": "csharp",
                  "class": "test",
                  "score": 0.123457,
                  "scores": {
                    "dense": 0.333333,
                    "lexical": 0.5,
                    "mention": 1
                  },
                  "snippet": "if (a < b && c > d)\n\t\"quoted\" + 'x' — ünïcode \uD83D\uDE80",
                  "related": [
                    {
                      "relation": "caller",
                      "repository": "acme",
                      "path": "src/Main.cs",
                      "symbol": "Acme.Main",
                      "startLine": 3,
                      "endLine": 9
                    },
                    {
                      "relation": "base",
                      "repository": "acme",
                      "path": "src/Base.cs",
                      "symbol": "Acme.Base",
                      "startLine": 1,
                      "endLine": 2
                    }
                  ]
                }
              ]
            }
            """), output.ToString());
    }

    [Fact]
    public void Write_FilesAndRepo_IsTheDocumentedDocument()
    {
        var chunk = Hit with { Rank = 2, Score = 7.0000004, Scores = new Dictionary<string, double>(StringComparer.Ordinal) { ["lexical"] = 1e-9 }, Related = [], Class = FileClass.Code };
        var file = new FileHit(1, "acme", "src/Wörk.cs", "csharp", FileClass.Docs, 2.9999996,
            new Dictionary<string, double>(StringComparer.Ordinal) { ["file"] = 0.25, ["best_chunk"] = 0.75 }, [chunk]);
        var response = new SearchResponse("q", SearchMode.Lexical, [], TimeSpan.FromTicks(1), [file]);

        var output = new StringWriter();
        SearchJson.Write(output, response, repository: "acme");

        Assert.Equal(Golden("""
            {
              "query": "q",
              "repo": "acme",
              "mode": "lexical",
              "elapsedMs": 0,
              "hits": [],
              "files": [
                {
                  "rank": 1,
                  "repository": "acme",
                  "path": "src/Wörk.cs",
                  "language": "csharp",
                  "class": "docs",
                  "score": 3,
                  "scores": {
                    "best_chunk": 0.75,
                    "file": 0.25
                  },
                  "chunks": [
                    {
                      "rank": 2,
                      "repository": "acme",
                      "path": "src/Wörk.cs",
                      "startLine": 10,
                      "endLine": 24,
                      "symbol": "Acme.Retry<T>.Run",
                      "kind": "typeHeader",
                      "language": "csharp",
                      "class": "code",
                      "score": 7,
                      "scores": {
                        "lexical": 0
                      },
                      "snippet": "if (a < b && c > d)\n\t\"quoted\" + 'x' — ünïcode \uD83D\uDE80",
                      "related": []
                    }
                  ]
                }
              ]
            }
            """), output.ToString());
    }

    private static string Golden(string text) => text.ReplaceLineEndings(Environment.NewLine) + Environment.NewLine;
}
