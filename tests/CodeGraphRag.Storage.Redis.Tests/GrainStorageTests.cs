using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>The silo wiring of Orleans' Redis grain storage against a real Redis.</summary>
public sealed class GrainStorageTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [Trait("Category", TestCategories.Integration)]
    public async Task AddCodeGraphRagRedisGrainStorage_StartedSilo_StateRoundTripsThroughRedis()
    {
        var serviceId = RedisServer.UniquePrefix();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(LoopbackPort.Unused(), LoopbackPort.Unused(), serviceId: serviceId, clusterId: serviceId)
            .AddCodeGraphRagRedisGrainStorage("cgr", fixture.Server.ConnectionString));
        using var host = builder.Build();
        await host.StartAsync(Ct);
        try
        {
            var storage = host.Services.GetRequiredKeyedService<IGrainStorage>("cgr");
            var grain = GrainId.Create("file", "r/a.py");
            await storage.WriteStateAsync("s", grain, new GrainState<Counter>(new Counter(5)));
            var read = new GrainState<Counter>(new Counter(0));
            await storage.ReadStateAsync("s", grain, read);

            Assert.True(read.RecordExists);
            Assert.Equal(new Counter(5), read.State);
            var server = fixture.Redis.GetServer(fixture.Redis.GetEndPoints()[0]);
            Assert.NotEmpty(server.Keys(pattern: $"*{serviceId}*"));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagRedisGrainStorage_EmptyArguments_Refused()
    {
        var builder = Host.CreateApplicationBuilder();

        builder.UseOrleans(silo =>
        {
            Assert.Throws<ArgumentException>(() => silo.AddCodeGraphRagRedisGrainStorage(string.Empty, "localhost"));
            Assert.Throws<ArgumentException>(() => silo.AddCodeGraphRagRedisGrainStorage("cgr", string.Empty));
        });
    }

    [GenerateSerializer]
    [Alias("cgr.tests.redis.Counter")]
    public sealed record Counter([property: Id(0)] int Value);
}
