using CodeGraphRag.Api.QueryLog;
using Grpc.Core;

namespace CodeGraphRag.Api.Services;

/// <summary>Feedback on results, and the training triples built from it.</summary>
internal sealed partial class CodeGraphRagService
{
    public override async Task<V1.FeedbackResponse> Feedback(V1.FeedbackRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
        var queryId = RequestLimits.Optional(request.QueryId, 64, "query_id") ?? throw RequestLimits.Invalid("query_id", "is empty");
        var resultId = RequestLimits.Optional(request.ResultId, RequestLimits.MaxNameLength, "result_id") ?? throw RequestLimits.Invalid("result_id", "is empty");
        var vote = request.Vote switch
        {
            V1.Vote.Up => FeedbackRecord.Up,
            V1.Vote.Down => FeedbackRecord.Down,
            _ => throw RequestLimits.Invalid("vote", "must be VOTE_UP or VOTE_DOWN"),
        };
        var comment = RequestLimits.Optional(request.Comment, RequestLimits.MaxCommentLength, "comment");
        var results = await queryLog.FindQueryAsync(queryId, ct) ?? throw RequestLimits.NotFound($"query_id '{queryId}' not found");
        if (!results.Contains(resultId))
        {
            throw RequestLimits.Invalid("result_id", $"'{resultId}' is not one of the results of query '{queryId}'");
        }

        await queryLog.AppendFeedbackAsync(new FeedbackRecord(queryId, resultId, vote, comment, time.GetUtcNow(), caller.Principal));
        entry.ResultCount = 1;
        return new V1.FeedbackResponse();
    }

    public override async Task ExportFeedback(V1.ExportFeedbackRequest request, IServerStreamWriter<V1.TrainingTriple> responseStream, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        var ct = context.CancellationToken;
        if (!caller.IsAdmin)
        {
            // CGR: triples carry other callers' queries (and with texts, code from every repository): admins only.
            throw new RpcException(new Status(StatusCode.PermissionDenied, "exporting feedback needs the admin group"));
        }

        var triples = await new TrainingTripletExporter().ReadAsync(queryLog.Directory, request.IncludeTexts ? chunks : null, ct);
        foreach (var t in triples)
        {
            await responseStream.WriteAsync(new V1.TrainingTriple
            {
                QueryId = t.QueryId,
                Query = t.Query,
                PositiveId = t.PositiveId,
                PositiveRank = t.PositiveRank,
                NegativeId = t.NegativeId,
                NegativeRank = t.NegativeRank,
                PositiveText = t.PositiveText ?? string.Empty,
                NegativeText = t.NegativeText ?? string.Empty,
            }, ct);
        }

        entry.ResultCount = triples.Count;
    }
}
