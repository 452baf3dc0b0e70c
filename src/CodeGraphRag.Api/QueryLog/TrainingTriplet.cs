namespace CodeGraphRag.Api.QueryLog;

/// <summary>A (query, positive, hard negative) example for fine-tuning the embedding model.</summary>
/// <param name="QueryId">The logged query.</param>
/// <param name="Query">Its text.</param>
/// <param name="PositiveId">The up-voted result.</param>
/// <param name="PositiveRank">Its rank.</param>
/// <param name="NegativeId">A down-voted result, or one ranked above or near the positive that was not up-voted.</param>
/// <param name="NegativeRank">Its rank.</param>
/// <param name="PositiveText">The positive's chunk text, when the exporter could look it up.</param>
/// <param name="NegativeText">The negative's chunk text, when the exporter could look it up.</param>
public sealed record TrainingTriplet(
    string QueryId,
    string Query,
    string PositiveId,
    int PositiveRank,
    string NegativeId,
    int NegativeRank,
    string? PositiveText = null,
    string? NegativeText = null);
