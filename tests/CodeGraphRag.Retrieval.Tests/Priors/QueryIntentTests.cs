using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Priors;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Retrieval.Tests.Priors;

[Trait("Category", TestCategories.Unit)]
public sealed class QueryIntentTests
{
    [Theory]
    [InlineData("tests for the token verifier", true)]
    [InlineData("where is the Spec runner", true)]
    [InlineData("TESTING helpers", true)]
    [InlineData("latest token verifier", false)]
    [InlineData("contest attestation", false)]
    [InlineData("test_tokens.py", true)]
    [InlineData("TestRunner dispatch", false)]
    [InlineData("", false)]
    public void AsksForTests_MatchesWholeLetterRunsOnly(string query, bool expected)
    {
        Assert.Equal(expected, QueryIntent.AsksForTests(query));
    }

    [Theory]
    [InlineData("where do we validate JWTs", new FileClass[0])]
    [InlineData("what do the docs say about retries", new[] { FileClass.Docs })]
    [InlineData("release notes for the retry change", new[] { FileClass.Changelog })]
    [InlineData("CHANGELOG entry of 2.0", new[] { FileClass.Changelog })]
    [InlineData("which CI workflow runs the linter", new[] { FileClass.Config })]
    [InlineData("the config file that sets the port", new[] { FileClass.Config })]
    [InlineData("an example of a custom decoder and its tests", new[] { FileClass.Example, FileClass.Test })]
    [InlineData("for example the decoder rejects nulls", new FileClass[0])]
    [InlineData("benchmark of the tokenizer", new[] { FileClass.Benchmark })]
    [InlineData("load the configuration", new FileClass[0])]
    public void Detect_NamesTheClassesAQuestionAsksFor(string query, FileClass[] expected)
    {
        Assert.Equal(expected, QueryIntent.Detect(query));
    }
}
