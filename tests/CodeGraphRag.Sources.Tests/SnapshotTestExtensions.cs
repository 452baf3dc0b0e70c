namespace CodeGraphRag.Sources.Tests;

internal static class SnapshotTestExtensions
{
    public static async Task<List<SourceEntry>> ListAsync(this ISourceSnapshot snapshot)
    {
        var entries = new List<SourceEntry>();
        await foreach (var entry in snapshot.EnumerateAsync(TestContext.Current.CancellationToken))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static SourceEntry Single(this List<SourceEntry> entries, string path) =>
        entries.SingleOrDefault(e => e.Path == path) ?? throw new Xunit.Sdk.XunitException(
            $"No entry '{path}'. Entries: {string.Join(", ", entries.Select(e => $"{e.Path}={e.SkipReason ?? "candidate"}"))}");

    public static string? ReasonOf(this List<SourceEntry> entries, string path) => entries.Single(path).SkipReason;
}
