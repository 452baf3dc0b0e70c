using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.Services;
using CodeGraphRag.TestInfrastructure;
using V1 = CodeGraphRag.Api.V1;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class ProtoRelationsTests
{
    [Fact]
    public void ToGraphRelation_EveryWireRelation_MapsToItsOwnFlagAndBack()
    {
        var known = Enum.GetValues<V1.Relation>().Where(r => r != V1.Relation.Unspecified).ToList();

        var mapped = known.Select(ProtoRelations.ToGraphRelation).ToList();

        Assert.Equal(6, known.Count);
        Assert.All(mapped, m => Assert.NotEqual(GraphRelation.None, m));
        Assert.Equal(mapped.Count, mapped.Distinct().Count());
        Assert.Equal(known, mapped.Select(ProtoMapping.Relation));
        Assert.Equal(GraphRelation.None, ProtoRelations.ToGraphRelation(V1.Relation.Unspecified));
        Assert.Equal(GraphRelation.None, ProtoRelations.ToGraphRelation((V1.Relation)99));
    }

    [Fact]
    public void Relations_UnknownWireValue_IsAnInvalidArgumentNamingTheField()
    {
        var failure = Assert.Throws<Grpc.Core.RpcException>(() => ProtoMapping.Relations([V1.Relation.Caller, (V1.Relation)99], "relations"));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Contains("relations", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("unknown relation 99", failure.Status.Detail, StringComparison.Ordinal);
    }
}
