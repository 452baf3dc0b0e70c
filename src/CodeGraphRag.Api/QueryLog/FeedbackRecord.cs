namespace CodeGraphRag.Api.QueryLog;

/// <summary>One Feedback call (one JSON line).</summary>
/// <param name="QueryId">The query it rates.</param>
/// <param name="ResultId">The chunk id of the rated result.</param>
/// <param name="Vote"><c>up</c> or <c>down</c>.</param>
/// <param name="Comment">Optional free text.</param>
/// <param name="Timestamp">When it was given.</param>
/// <param name="Caller">The principal.</param>
public sealed record FeedbackRecord(string QueryId, string ResultId, string Vote, string? Comment, DateTimeOffset Timestamp, string Caller)
{
    /// <summary>The <see cref="Vote"/> value of an up-vote.</summary>
    public const string Up = "up";

    /// <summary>The <see cref="Vote"/> value of a down-vote.</summary>
    public const string Down = "down";
}
