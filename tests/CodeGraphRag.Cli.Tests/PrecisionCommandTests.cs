using System.Text.Json;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests;

/// <summary>
/// <c>CodeGraphRag:Embedding:Precision=int8</c> end to end: <c>cgr index</c> embeds with the prepared int8 model, <c>cgr
/// status</c> says so, and dense search in the same precision finds the files the fp32 model finds.
/// </summary>
[Collection(CliCollection.Name)]
[Trait("Category", TestCategories.EndToEnd)]
public sealed class PrecisionCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> Int8 = new() { ["CodeGraphRag__Embedding__Precision"] = "int8" };
    private readonly TempDirectory _temp = new("cgr-cli-precision");

    [Fact]
    public async Task IndexInInt8_StatusNamesIt_DenseSearchFindsTheExpectedFiles()
    {
        var tree = Fixtures.CopyTo("sample-repo", Path.Combine(_temp.Path, "tree"));
        var data = Path.Combine(_temp.Path, "data");

        var index = await CgrProcess.RunAsync(data, Int8, "index", tree, "--name", "acme", "--plain");
        var status = await CgrProcess.RunAsync(data, Int8, "status");

        Assert.True(index.ExitCode == 0, index.Stderr);
        Assert.Contains("files: 8 indexed", index.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\nembedding: snowflake-arctic-embed-xs@[^ ]+/cls\+int8 at int8 on cpu\n", status.Stdout);
        foreach (var (query, expected) in new[]
        {
            ("reject a signed login credential whose lifetime has passed", "auth/jwt_validator.py"),
            ("try an action again with exponentially growing waits", "util/RetryPolicy.java"),
            ("sum the line items of a bill and round the amount", "billing/Invoice.cs"),
        })
        {
            var search = await CgrProcess.RunAsync(data, Int8, "search", query, "--json", "--mode", "dense", "--top", "3");
            Assert.True(search.ExitCode == 0, search.Stderr);
            using var document = JsonDocument.Parse(search.Stdout);
            var paths = document.RootElement.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("path").GetString()).ToList();
            Assert.True(paths.FirstOrDefault() == expected, $"{query}: {string.Join(", ", paths)}");
        }

        // In the default precision (another model id) nothing of this index is a dense candidate: status and a dense
        // search say why instead of answering with nothing.
        var fp32Status = await CgrProcess.RunAsync(data, "status");
        var fp32Search = await CgrProcess.RunAsync(data, "search", "reject a signed login credential", "--mode", "dense");
        Assert.True(fp32Status.ExitCode == 0, fp32Status.Stderr);
        Assert.Matches(@"\nwarning: \d+ vectors of snowflake-arctic-embed-xs@[^ ]+/cls\+int8 \(another model or precision\) are not searched by dense modes;", fp32Status.Stdout);
        Assert.DoesNotContain("warning:", status.Stdout, StringComparison.Ordinal);
        Assert.True(fp32Search.ExitCode == 0, fp32Search.Stderr);
        Assert.Contains("found no vector of model", fp32Search.Stderr, StringComparison.Ordinal);
        Assert.Contains("cls+int8)", fp32Search.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
