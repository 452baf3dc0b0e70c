using System.Diagnostics;
using System.Text.Json;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>
/// No Neo4j server runs here, so every statement the index sends goes through Neo4j's own Cypher parser and semantic
/// analysis (the <c>@neo4j-cypher/language-support</c> npm package, pinned in CypherLint/package-lock.json): syntax,
/// variable scope across WITH/CALL, aggregation rules and types are checked on every test run.
/// </summary>
public sealed class CypherLintTests
{
    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public async Task EveryStatement_Neo4jParserAndSemanticAnalysis_NoErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(AppContext.BaseDirectory, "CypherLint");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@neo4j-cypher", "language-support")))
        {
            var (installed, installLog) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, TimeSpan.FromMinutes(3), ct);
            Assert.True(installed == 0, $"npm ci in {folder} failed (node and npm are required, as for the rest of the build):\n{installLog}");
        }

        var statements = StatementShapeTests.AllStatements()
            .GroupBy(s => s.Statement.Text, StringComparer.Ordinal)
            .ToDictionary(g => g.First().Name, g => g.Key);
        var input = Path.Combine(Path.GetTempPath(), $"cgr-cypher-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(statements), ct);
        try
        {
            var (exit, output) = await RunAsync("node", ["lint.cjs", input], folder, TimeSpan.FromMinutes(1), ct);

            Assert.True(exit == 0, output);
            Assert.Equal(statements.Count, output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, string[] arguments, string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
