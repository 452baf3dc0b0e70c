using System.Text.RegularExpressions;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Storage.Neo4j.Internals;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>
/// Checks every statement the index can send without a server: one line, balanced brackets and quotes, every
/// <c>$parameter</c> it uses supplied, and no value formatted into the text.
/// </summary>
public sealed partial class StatementShapeTests
{
    public static TheoryData<string> StatementNames() =>
        [.. AllStatements().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(StatementNames))]
    [Trait("Category", TestCategories.Unit)]
    public void Statement_EveryShape_OneLineBalancedAndEveryParameterSupplied(string name)
    {
        var statement = AllStatements().Single(s => s.Name == name).Statement;
        var text = statement.Text;

        Assert.DoesNotContain('\n', text);
        Assert.DoesNotContain("  ", text, StringComparison.Ordinal);
        Assert.Equal(0, text.Count(c => c == '\'') % 2);
        var stack = new Stack<char>();
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '(' or '[' or '{':
                    stack.Push(ch);
                    break;
                case ')':
                    Assert.Equal('(', stack.Pop());
                    break;
                case ']':
                    Assert.Equal('[', stack.Pop());
                    break;
                case '}':
                    Assert.Equal('{', stack.Pop());
                    break;
            }
        }

        Assert.Empty(stack);
        var used = Parameter().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(statement.Parameters.Keys.ToHashSet(StringComparer.Ordinal), used);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void NeighbourStatements_ReadableFilter_AppliedToEveryNodeTheyMatch()
    {
        foreach (var text in (string[])[Cypher.Callees, Cypher.Callers, Cypher.Parent, Cypher.ImportedFiles, Cypher.BaseTypes, Cypher.DerivedTypes])
        {
            Assert.Contains("WHERE t IS NOT NULL AND ($readable IS NULL OR t.repo IN $readable)", text, StringComparison.Ordinal);
        }

        // CGR: each MATCH that can reach another repository carries the filter on the node it binds.
        foreach (var (text, variable) in (ValueTuple<string, string>[])
        [
            (Cypher.Callees, "d"), (Cypher.Callers, "d"), (Cypher.Callers, "src"), (Cypher.BaseTypes, "d"),
            (Cypher.DerivedTypes, "d"), (Cypher.DerivedTypes, "src"), (Cypher.ImportedFiles, "f"), (Cypher.ImportedFiles, "s"),
        ])
        {
            Assert.Contains($"($readable IS NULL OR {variable}.repo IN $readable)", text, StringComparison.Ordinal);
        }
    }

    internal static IEnumerable<(string Name, CypherStatement Statement)> AllStatements()
    {
        var file = new FileRecord("r", "a.py", "python", "h", 1, "p", FileStatus.Indexed, null, 1);
        var graph = new FileGraph(
            [new SymbolInfo("a.f", "f", SymbolKind.Function, 1, 2, null, null), new SymbolInfo("a.g", "g", SymbolKind.Function, 3, 4, null, null)],
            [new CallReference("a.f", "g", null, 1), new CallReference("a.g", "f", null, 3)],
            [new ImportInfo("os", [], null, 1), new ImportInfo("sys", [], null, 2)],
            [new InheritanceInfo("a.f", "B", 1), new InheritanceInfo("a.g", "B", 3)]);
        yield return ("ReplaceFile", Neo4jGraphIndex.BuildApplyFile(file, graph, 10).Single());
        var batched = Neo4jGraphIndex.BuildApplyFile(file, graph, 1);
        foreach (var (statement, i) in batched.Select((s, i) => (s, i)))
        {
            yield return ($"ApplyFileBatch{i}", statement);
        }

        var query = new NeighborQuery(GraphRelation.All, 5, 5, ["r"], 1);
        foreach (var relation in (GraphRelation[])[GraphRelation.Caller, GraphRelation.Callee, GraphRelation.Parent, GraphRelation.Imports, GraphRelation.BaseType, GraphRelation.DerivedType])
        {
            yield return ($"Neighbours{relation}", Neo4jGraphIndex.NeighbourStatement(relation, [new SymbolKey("r", "a.py", "a.f")], query));
        }

        foreach (var (text, i) in Cypher.Schema.Select((t, i) => (t, i)))
        {
            yield return ($"Schema{i}", CypherStatement.Of(text));
        }

        foreach (var (text, i) in Cypher.RemoveRepository(100).Select((t, i) => (t, i)))
        {
            yield return ($"RemoveRepository{i}", CypherStatement.Of(text, ("repo", "r")));
        }

        yield return ("RemoveFiles", CypherStatement.Of(Cypher.RemoveFiles, ("repo", "r"), ("paths", new[] { "a" })));
        yield return ("UpsertRepository", CypherStatement.Of(Cypher.UpsertRepository, ("name", "r"), ("properties", new Dictionary<string, object?>())));
        yield return ("GetRepository", CypherStatement.Of(Cypher.GetRepository, ("name", "r")));
        yield return ("ListRepositories", CypherStatement.Of(Cypher.ListRepositories));
        yield return ("GetManifest", CypherStatement.Of(Cypher.GetManifest, ("repo", "r")));
        yield return ("GetFile", CypherStatement.Of(Cypher.GetFile, ("repo", "r"), ("path", "a")));
        yield return ("StatsByGroup", CypherStatement.Of(Cypher.StatsByGroup, ("repo", "r")));
        yield return ("FailedFiles", CypherStatement.Of(Cypher.FailedFiles, ("repo", "r")));
    }

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();
}
