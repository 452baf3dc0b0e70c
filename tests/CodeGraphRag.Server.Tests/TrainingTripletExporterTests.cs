using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class TrainingTripletExporterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static QueryLogRecord Query(string id, params string[] chunkIds)
        => new(id, T0, "Search", "query " + id, null, null, null, "hybridGraph",
            [.. chunkIds.Select((c, i) => new QueryLogHit(i + 1, c, "repo", c + ".cs", 1.0 / (i + 1), new Dictionary<string, double>()))], 5, "alice");

    private static FeedbackRecord Vote(string query, string result, string vote, int minute = 0)
        => new(query, result, vote, null, T0.AddMinutes(minute), "alice");

    [Fact]
    public void Build_UpVotedThirdResult_HigherRankedAndNearbyUnvotedAreHardNegatives()
    {
        var triples = new TrainingTripletExporter { NearbyRanks = 1, MaxNegativesPerPositive = 10 }
            .Build([Query("q", "a", "b", "c", "d", "e")], [Vote("q", "c", FeedbackRecord.Up)]);

        Assert.Equal(["a", "b", "d"], triples.Select(t => t.NegativeId));
        Assert.All(triples, t => Assert.Equal(("q", "query q", "c", 3), (t.QueryId, t.Query, t.PositiveId, t.PositiveRank)));
        Assert.Equal([1, 2, 4], triples.Select(t => t.NegativeRank));
    }

    [Fact]
    public void Build_DownVotesComeFirstAndCapApplies()
    {
        var triples = new TrainingTripletExporter { NearbyRanks = 2, MaxNegativesPerPositive = 2 }
            .Build([Query("q", "a", "b", "c", "d", "e")], [Vote("q", "a", FeedbackRecord.Up), Vote("q", "e", FeedbackRecord.Down)]);

        Assert.Equal(["e", "b"], triples.Select(t => t.NegativeId));
    }

    [Fact]
    public void Build_OtherUpVotesAreNeverNegatives_AndLatestVoteWins()
    {
        var triples = new TrainingTripletExporter { NearbyRanks = 5 }.Build(
            [Query("q", "a", "b", "c")],
            [Vote("q", "a", FeedbackRecord.Up), Vote("q", "b", FeedbackRecord.Up), Vote("q", "b", FeedbackRecord.Down, minute: 1)]);

        Assert.Equal([("a", "b"), ("a", "c")], triples.Select(t => (t.PositiveId, t.NegativeId)));
    }

    [Fact]
    public void Build_NoUpVoteOrUnknownQuery_NoTriples()
    {
        var exporter = new TrainingTripletExporter();
        Assert.Empty(exporter.Build([Query("q", "a", "b")], [Vote("q", "a", FeedbackRecord.Down)]));
        Assert.Empty(exporter.Build([Query("q", "a", "b")], [Vote("other", "a", FeedbackRecord.Up)]));
        Assert.Empty(exporter.Build([Query("q", "a")], [Vote("q", "a", FeedbackRecord.Up)]));
    }

    [Fact]
    public async Task ExportAsync_JsonlFiles_OneLinePerTripleAndTornLinesSkipped()
    {
        using var dir = new TempDirectory();
        dir.Write("queries-20260101-x.jsonl", System.Text.Json.JsonSerializer.Serialize(Query("q", "a", "b"), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)) + "\n{\"queryId\":\"tor");
        dir.Write("feedback-20260101-x.jsonl", """{"queryId":"q","resultId":"b","vote":"up","timestamp":"2026-01-01T00:00:00+00:00","caller":"alice"}""" + "\n");
        using var output = new StringWriter();

        var count = await new TrainingTripletExporter().ExportAsync(dir.Path, output, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, count);
        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"positiveId\":\"b\"", line, StringComparison.Ordinal);
        Assert.Contains("\"negativeId\":\"a\"", line, StringComparison.Ordinal);
    }
}
