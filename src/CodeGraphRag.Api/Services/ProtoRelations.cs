using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Api.Services;

/// <summary>The codegraphrag.v1 relation enum against <see cref="GraphRelation"/>, for the service and its clients.</summary>
public static class ProtoRelations
{
    /// <summary>The graph relation of a wire relation; <see cref="GraphRelation.None"/> for one this build does not know.</summary>
    public static GraphRelation ToGraphRelation(V1.Relation relation) => relation switch
    {
        V1.Relation.Caller => GraphRelation.Caller,
        V1.Relation.Callee => GraphRelation.Callee,
        V1.Relation.Parent => GraphRelation.Parent,
        V1.Relation.Imports => GraphRelation.Imports,
        V1.Relation.BaseType => GraphRelation.BaseType,
        V1.Relation.DerivedType => GraphRelation.DerivedType,
        _ => GraphRelation.None,
    };
}
