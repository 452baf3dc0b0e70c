using CodeGraphRag.Abstractions.Search;
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

/// <summary>The codegraphrag.v1 search mode enum against <see cref="SearchMode"/>, for the service and its clients.</summary>
public static class ProtoModes
{
    /// <summary>The wire mode of a search mode.</summary>
    public static V1.SearchMode ToProto(SearchMode mode) => mode switch
    {
        SearchMode.Lexical => V1.SearchMode.Lexical,
        SearchMode.Dense => V1.SearchMode.Dense,
        SearchMode.Hybrid => V1.SearchMode.Hybrid,
        _ => V1.SearchMode.HybridGraph,
    };

    /// <summary>The search mode of a wire mode (unspecified is hybrid+graph, the default); null for one this build does not know.</summary>
    public static SearchMode? FromProto(V1.SearchMode mode) => mode switch
    {
        V1.SearchMode.Unspecified or V1.SearchMode.HybridGraph => SearchMode.HybridGraph,
        V1.SearchMode.Lexical => SearchMode.Lexical,
        V1.SearchMode.Dense => SearchMode.Dense,
        V1.SearchMode.Hybrid => SearchMode.Hybrid,
        _ => null,
    };
}
