using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Options;

namespace CodeGraphRag.Storage.Redis.Tests;

/// <summary>Validation of <see cref="RedisOptions"/> and keeping the password out of text.</summary>
public sealed class RedisOptionsTests
{
    private const string Password = "s3cret-pw";

    private static List<string> Failures(RedisOptions options)
    {
        var result = new RedisOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("localhost:6379")]
    [InlineData("redis:6379,password=" + Password + ",abortConnect=false")]
    [InlineData("a:1,b:2,ssl=true")]
    public void Validate_GoodConnectionStringWithDefaults_Succeeds(string connectionString) =>
        Assert.Empty(Failures(new RedisOptions { ConnectionString = connectionString }));

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Validate_NoTimeToLive_Succeeds() =>
        Assert.Empty(Failures(new RedisOptions { ConnectionString = "localhost", EmbeddingTimeToLive = null }));

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Validate_EveryKeyBad_ReportsEachKeyAtOnce()
    {
        var failures = Failures(new RedisOptions { ConnectionString = " ", KeyPrefix = string.Empty, EmbeddingTimeToLive = TimeSpan.Zero });

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Storage:Redis:ConnectionString is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Storage:Redis:KeyPrefix must not be empty", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CodeGraphRag:Storage:Redis:EmbeddingTimeToLive must be positive", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Validate_NegativeTimeToLive_Refused() =>
        Assert.Contains(
            Failures(new RedisOptions { ConnectionString = "localhost", EmbeddingTimeToLive = TimeSpan.FromSeconds(-1) }),
            f => f.StartsWith("CodeGraphRag:Storage:Redis:EmbeddingTimeToLive", StringComparison.Ordinal));

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("redis:6379,password=" + Password + ",notAnOption=1", "is not a StackExchange.Redis connection string")]
    [InlineData("password=" + Password, "names no endpoint")]
    public void Validate_BadConnectionString_NamesTheKeyWithoutThePassword(string connectionString, string reason)
    {
        var failure = Assert.Single(Failures(new RedisOptions { ConnectionString = connectionString }));

        Assert.StartsWith("CodeGraphRag:Storage:Redis:ConnectionString", failure, StringComparison.Ordinal);
        Assert.Contains(reason, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestCategories.Unit)]
    public void Constructor_InvalidOptions_Refused()
    {
        using var redis = StackExchange.Redis.ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=1");

        var error = Assert.Throws<OptionsValidationException>(() => new RedisEmbeddingCache(redis, new RedisOptions { ConnectionString = "localhost", KeyPrefix = " " }));

        Assert.Contains("CodeGraphRag:Storage:Redis:KeyPrefix", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Category", TestCategories.Unit)]
    [InlineData("redis:6379,password=" + Password + ",abortConnect=false", "redis:6379")]
    [InlineData("redis:6379,password=" + Password + ",notAnOption=1", "(unparsable connection string)")]
    [InlineData(null, "(no connection string)")]
    public void ToString_AnyConnectionString_NeverShowsThePassword(string? connectionString, string expected)
    {
        var text = new RedisOptions { ConnectionString = connectionString, KeyPrefix = "cgr-test" }.ToString();

        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Contains("cgr-test", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
    }
}
