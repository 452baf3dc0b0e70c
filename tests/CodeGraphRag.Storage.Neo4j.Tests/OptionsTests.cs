using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Neo4j.Tests;

/// <summary>Options validation and the DI registration.</summary>
public sealed class OptionsTests
{
    private static IEnumerable<string> Failures(Action<Neo4jOptions> change)
    {
        var options = Neo4jFixture.Options();
        change(options);
        var result = new Neo4jOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures : [];
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Validate_GoodOptions_Succeed() => Assert.Empty(Failures(_ => { }));

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("Url", "")]
    [InlineData("Url", "graph.test:7474")]
    [InlineData("Url", "bolt://graph.test:7687")]
    [InlineData("Database", "")]
    [InlineData("Database", "a/b")]
    [InlineData("BatchSize", "0")]
    [InlineData("RequestTimeout", "0")]
    [InlineData("MaxRetries", "-1")]
    public void Validate_BadValue_FailureNamesTheKey(string key, string value)
    {
        var failures = Failures(o =>
        {
            switch (key)
            {
                case "Url": o.Url = value; break;
                case "Database": o.Database = value; break;
                case "BatchSize": o.BatchSize = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "RequestTimeout": o.RequestTimeout = TimeSpan.FromSeconds(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case "MaxRetries": o.MaxRetries = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        });

        Assert.Contains(failures, f => f.StartsWith($"CodeGraphRag:Storage:Neo4j:{key}", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Validate_CredentialsInUrlOrPasswordWithoutUser_RejectedWithoutEchoingThePassword()
    {
        var inUrl = Failures(o => o.Url = $"http://neo4j:{Neo4jFixture.Password}@graph.test:7474").ToList();
        var noUser = Failures(o => o.User = string.Empty).ToList();

        Assert.Contains(inUrl, f => f.Contains("must not carry credentials", StringComparison.Ordinal));
        Assert.Contains(noUser, f => f.StartsWith("CodeGraphRag:Storage:Neo4j:User", StringComparison.Ordinal));
        Assert.All(inUrl.Concat(noUser), f => Assert.DoesNotContain(Neo4jFixture.Password, f, StringComparison.Ordinal));
        var error = Assert.Throws<OptionsValidationException>(() => new Neo4jGraphIndex(new HttpClient(), Options.Create(new Neo4jOptions { Url = $"http://u:{Neo4jFixture.Password}@h" })));
        Assert.DoesNotContain(Neo4jFixture.Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagNeo4j_ConfigurationSection_BoundAndOneInstanceServesThreePorts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodeGraphRag:Storage:Neo4j:Url"] = "http://neo4j:7474",
            ["CodeGraphRag:Storage:Neo4j:User"] = "neo4j",
            ["CodeGraphRag:Storage:Neo4j:Password"] = "pw-from-secret",
            ["CodeGraphRag:Storage:Neo4j:Database"] = "graph",
            ["CodeGraphRag:Storage:Neo4j:UseTransactionalApi"] = "true",
            ["CodeGraphRag:Storage:Neo4j:RequestTimeout"] = "00:00:05",
            ["CodeGraphRag:Storage:Neo4j:BatchSize"] = "500",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);

        services.AddCodeGraphRagNeo4j(o => o.MaxRetries = 7);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<Neo4jOptions>>().Value;
        Assert.Equal(
            ("http://neo4j:7474", "neo4j", "pw-from-secret", "graph", true, TimeSpan.FromSeconds(5), 500, 7),
            (options.Url, options.User, options.Password, options.Database, options.UseTransactionalApi, options.RequestTimeout, options.BatchSize, options.MaxRetries));
        var index = provider.GetRequiredService<Neo4jGraphIndex>();
        Assert.Same(index, provider.GetRequiredService<IGraphIndex>());
        Assert.Same(index, provider.GetRequiredService<ICodeGraphStore>());
        Assert.Same(index, provider.GetRequiredService<IRepositoryCatalog>());
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void AddCodeGraphRagNeo4j_MissingUrl_FailsValidationNamingTheKey()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddCodeGraphRagNeo4j();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<Neo4jOptions>>().Value);
        Assert.Contains("CodeGraphRag:Storage:Neo4j:Url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void ToString_NamesTheServerButNotThePassword()
    {
        var text = new Neo4jOptions { Url = "http://neo4j:7474", User = "cgr", Password = "neo4j-pw-0123456789" }.ToString();

        Assert.Equal("Neo4j http://neo4j:7474 database neo4j as cgr via query/v2", text);
    }
}
