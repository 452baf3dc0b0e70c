using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Repositories;
using CodeGraphRag.Sources;
using Google.Protobuf.WellKnownTypes;
using Abs = CodeGraphRag.Abstractions.Search;

namespace CodeGraphRag.Api.Services;

/// <summary>Conversions between the grain and store types and the codegraphrag.v1 messages.</summary>
internal static class ProtoMapping
{
    public static Abs.SearchMode Mode(V1.SearchMode mode, string field)
        => ProtoModes.FromProto(mode) ?? throw RequestLimits.Invalid(field, $"unknown mode {(int)mode}");

    public static V1.SearchMode Mode(Abs.SearchMode mode) => ProtoModes.ToProto(mode);

    public static GraphRelation Relations(IReadOnlyList<V1.Relation> relations, string field)
    {
        if (relations.Count == 0)
        {
            return GraphRelation.All;
        }

        var flags = GraphRelation.None;
        foreach (var r in relations)
        {
            var relation = ProtoRelations.ToGraphRelation(r);
            flags |= relation != GraphRelation.None ? relation : throw RequestLimits.Invalid(field, $"unknown relation {(int)r}");
        }

        return flags;
    }

    public static V1.Relation Relation(GraphRelation relation) => relation switch
    {
        GraphRelation.Caller => V1.Relation.Caller,
        GraphRelation.Callee => V1.Relation.Callee,
        GraphRelation.Parent => V1.Relation.Parent,
        GraphRelation.Imports => V1.Relation.Imports,
        GraphRelation.BaseType => V1.Relation.BaseType,
        GraphRelation.DerivedType => V1.Relation.DerivedType,
        _ => V1.Relation.Unspecified,
    };

    public static V1.FileHit File(Abs.FileHit file)
    {
        var message = new V1.FileHit
        {
            Rank = file.Rank,
            Repository = file.Repository,
            Path = file.Path,
            Language = file.Language,
            FileClass = file.Class.Name(),
            Score = file.Score,
        };
        foreach (var (key, value) in file.Scores)
        {
            message.Scores[key] = value;
        }

        message.Chunks.AddRange(file.Chunks.Select(Hit));
        return message;
    }

    /// <summary>A stored chunk as a hit without rank or scores (for code fetched by symbol rather than found by a search).</summary>
    public static V1.SearchHit Chunk(ChunkRecord chunk) => Hit(new Abs.SearchHit(
        0, chunk.Id, chunk.Repository, chunk.Path, chunk.StartLine, chunk.EndLine, chunk.SymbolPath, chunk.Kind, chunk.Language, 0,
        new Dictionary<string, double>(), chunk.Text, [], chunk.Class));

    public static V1.SearchHit Hit(Abs.SearchHit hit)
    {
        var message = new V1.SearchHit
        {
            Rank = hit.Rank,
            ChunkId = hit.ChunkId,
            Repository = hit.Repository,
            Path = hit.Path,
            StartLine = hit.StartLine,
            EndLine = hit.EndLine,
            Symbol = hit.Symbol,
            Kind = Camel(hit.Kind.ToString()),
            Language = hit.Language,
            FileClass = hit.Class.Name(),
            Score = hit.Score,
            Text = hit.Text,
        };
        foreach (var (key, value) in hit.Scores)
        {
            message.Scores[key] = value;
        }

        message.Related.AddRange(hit.Related.Select(r => new V1.RelatedCode
        {
            Relation = Relation(r.Relation),
            Repository = r.Repository,
            Path = r.Path,
            Symbol = r.Symbol,
            StartLine = r.StartLine,
            EndLine = r.EndLine,
        }));
        return message;
    }

    /// <summary>
    /// The repository as the API shows it: git URLs without credentials, and a server path only to administrators
    /// (<paramref name="showServerPath"/>); others get an empty source.
    /// </summary>
    public static V1.Repository Repository(RepositoryInfo info, string? branch, bool showServerPath)
    {
        var message = new V1.Repository
        {
            Name = info.Name,
            Source = RepositorySyncs.IsGitSource(info.Source) ? GitMirror.Redact(info.Source) : showServerPath ? info.Source : string.Empty,
            Branch = branch ?? string.Empty,
            Revision = info.Revision ?? string.Empty,
            LastSyncStarted = info.LastSyncStarted is { } started ? Timestamp.FromDateTimeOffset(started) : null,
            LastSyncCompleted = info.LastSyncCompleted is { } completed ? Timestamp.FromDateTimeOffset(completed) : null,
        };
        message.ReadGroups.AddRange(info.ReadGroups);
        return message;
    }

    public static V1.SyncProgress Progress(string repository, SyncProgress progress)
    {
        var message = new V1.SyncProgress
        {
            Repository = repository,
            Phase = progress.Phase switch
            {
                SyncPhase.Scanning => V1.SyncPhase.Scanning,
                SyncPhase.Processing => V1.SyncPhase.Indexing,
                SyncPhase.Removing => V1.SyncPhase.Removing,
                SyncPhase.Completed => V1.SyncPhase.Completed,
                SyncPhase.Failed => V1.SyncPhase.Failed,
                SyncPhase.Cancelled => V1.SyncPhase.Cancelled,
                SyncPhase.WaitingForEmbedder => V1.SyncPhase.WaitingForEmbedder,
                SyncPhase.Embedding => V1.SyncPhase.Embedding,
                _ => V1.SyncPhase.Unspecified,
            },
            FilesTotal = progress.FilesTotal,
            FilesToProcess = progress.FilesToProcess,
            FilesProcessed = progress.FilesProcessed,
            FilesIndexed = progress.FilesIndexed,
            FilesUnchanged = progress.FilesUnchanged,
            FilesDeleted = progress.FilesDeleted,
            FilesFailed = progress.FilesFailed,
            ChunksWritten = progress.ChunksWritten,
            ChunksEmbedded = progress.ChunksEmbedded,
            Elapsed = Duration.FromTimeSpan(progress.Elapsed),
            Error = progress.Error ?? string.Empty,
            SecretsRedacted = progress.SecretsRedacted,
            BytesProcessed = progress.BytesProcessed,
            ChunksAwaitingVectors = progress.ChunksAwaitingVectors,
            SearchableAfter = progress.SearchableAfter is { } searchable ? Duration.FromTimeSpan(searchable) : null,
        };
        foreach (var (key, value) in progress.SkippedByReason)
        {
            message.SkippedByReason[key] = value;
        }

        return message;
    }

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
