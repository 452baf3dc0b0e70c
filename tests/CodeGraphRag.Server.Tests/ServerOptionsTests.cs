using CodeGraphRag.Hosting.Configuration;
using CodeGraphRag.TestInfrastructure;
using Microsoft.Extensions.Configuration;

namespace CodeGraphRag.Server.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class ServerOptionsTests
{
    private static ServerOptions Load(params (string Key, string Value)[] values)
        => ServerOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    [Fact]
    public void Load_Defaults_MatchTheContract()
    {
        var settings = Load(("CodeGraphRag:Storage:Embedded:DataDirectory", "/tmp/cgr-defaults"));
        Assert.Equal((5000, 8080, 11111, 30000), (settings.GrpcPort, settings.HttpPort, settings.SiloPort, settings.GatewayPort));
        Assert.Equal(ClusteringKind.Localhost, settings.Clustering);
        Assert.Equal(CodeGraphRag.Hosting.SiloRoles.All, settings.Roles);
        Assert.Equal(AuthModes.None, settings.AuthMode);
        Assert.Equal("groups", settings.GroupsClaim);
        Assert.Equal(System.Net.IPAddress.Loopback, settings.BindAddress);
        Assert.Empty(settings.AllowedRoots);
        Assert.False(settings.AllowAnonymous);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.5")]
    public void Load_AnonymousOnANonLoopbackAddress_RefusedUnlessAllowed(string bind)
    {
        var ex = Assert.Throws<ServerConfigurationException>(() => Load(("CodeGraphRag:Server:BindAddress", bind)));
        Assert.Contains("CodeGraphRag:Auth:Mode", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CodeGraphRag:Auth:AllowAnonymous=true", ex.Message, StringComparison.Ordinal);

        var allowed = Load(("CodeGraphRag:Server:BindAddress", bind), ("CodeGraphRag:Auth:AllowAnonymous", "true"));
        Assert.True(allowed.AllowAnonymous);
        var keyed = Load(("CodeGraphRag:Server:BindAddress", bind), ("CodeGraphRag:Auth:Mode", "ApiKey"),
            ("CodeGraphRag:Auth:ApiKeys:0:Key", "0123456789abcdef0123"), ("CodeGraphRag:Auth:ApiKeys:0:Principal", "ci"));
        Assert.Equal(bind == "*" ? null : System.Net.IPAddress.Parse(bind), keyed.BindAddress);
    }

    [Fact]
    public void Load_AllowedRoots_ArrayOrPathListResolvedAndAbsoluteOnly()
    {
        using var root = new TempDirectory("cgr-roots");
        Directory.CreateDirectory(Path.Combine(root.Path, "a"));
        Directory.CreateDirectory(Path.Combine(root.Path, "b"));
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "link"), Path.Combine(root.Path, "b"));

        var listed = Load(("CodeGraphRag:Server:AllowedRoots", Path.Combine(root.Path, "a") + Path.PathSeparator + Path.Combine(root.Path, "link")));
        Assert.Equal([Path.Combine(root.Path, "a"), Path.Combine(root.Path, "b")], listed.AllowedRoots);

        var array = Load(("CodeGraphRag:Server:AllowedRoots:0", Path.Combine(root.Path, "a", "..", "b")), ("CodeGraphRag:Server:AllowedRoots:1", Path.Combine(root.Path, "b")));
        Assert.Equal([Path.Combine(root.Path, "b")], array.AllowedRoots);

        var relative = Assert.Throws<ServerConfigurationException>(() => Load(("CodeGraphRag:Server:AllowedRoots:0", "repos")));
        Assert.Contains("CodeGraphRag:Server:AllowedRoots:0", relative.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CodeGraphRag:Cluster:Clustering", "Zookeeper", "CodeGraphRag:Cluster:Clustering")]
    [InlineData("CodeGraphRag:Cluster:Clustering", "Redis", "CodeGraphRag:Storage:Redis:ConnectionString")]
    [InlineData("CodeGraphRag:Server:GrpcPort", "70000", "CodeGraphRag:Server:GrpcPort")]
    [InlineData("CodeGraphRag:Cluster:Roles", "indexer,cook", "CodeGraphRag:Cluster:Roles")]
    [InlineData("CodeGraphRag:Auth:Mode", "Kerberos", "CodeGraphRag:Auth:Mode")]
    [InlineData("CodeGraphRag:Auth:Mode", "ApiKey", "CodeGraphRag:Auth:ApiKeys")]
    [InlineData("CodeGraphRag:Auth:Mode", "Jwt", "CodeGraphRag:Auth:Jwt:Authority")]
    [InlineData("CodeGraphRag:Cluster:AdvertisedAddress", "no-such-host.invalid", "CodeGraphRag:Cluster:AdvertisedAddress")]
    public void Load_InvalidValue_MessageNamesTheKey(string key, string value, string named)
    {
        var ex = Assert.Throws<ServerConfigurationException>(() => Load((key, value)));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralInvalidValues_ReportsEveryKeyAtOnce()
    {
        var ex = Assert.Throws<ServerConfigurationException>(() => Load(
            ("CodeGraphRag:Server:GrpcPort", "70000"),
            ("CodeGraphRag:Cluster:Clustering", "Zookeeper"),
            ("CodeGraphRag:Cluster:Roles", "indexer,cook"),
            ("CodeGraphRag:Auth:Mode", "ApiKey"),
            ("CodeGraphRag:Server:AllowedRoots:0", "repos"),
            ("CodeGraphRag:Storage:Milvus:Url", "http://milvus.invalid:19530")));

        string[] keys =
        [
            "CodeGraphRag:Server:GrpcPort", "CodeGraphRag:Cluster:Clustering", "CodeGraphRag:Cluster:Roles", "CodeGraphRag:Auth:ApiKeys",
            "CodeGraphRag:Server:AllowedRoots:0", "CodeGraphRag:Storage:Neo4j:Url",
        ];
        var lines = ex.Message.Split(Environment.NewLine);
        Assert.Equal(keys.Length, lines.Length);
        foreach (var key in keys)
        {
            Assert.Contains(lines, line => line.Contains(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Load_ApiKeys_ParsedWithGroups()
    {
        var settings = Load(
            ("CodeGraphRag:Auth:Mode", "ApiKey"),
            ("CodeGraphRag:Auth:ApiKeys:0:Key", "0123456789abcdef0123"),
            ("CodeGraphRag:Auth:ApiKeys:0:Principal", "ci"),
            ("CodeGraphRag:Auth:ApiKeys:0:Groups", "a, b"));
        var key = Assert.Single(settings.ApiKeys);
        Assert.Equal("ci", key.Principal);
        Assert.Equal(["a", "b"], key.Groups);

        var shortKey = Assert.Throws<ServerConfigurationException>(() => Load(
            ("CodeGraphRag:Auth:Mode", "ApiKey"), ("CodeGraphRag:Auth:ApiKeys:0:Key", "short"), ("CodeGraphRag:Auth:ApiKeys:0:Principal", "ci")));
        Assert.Contains("CodeGraphRag:Auth:ApiKeys:0:Key", shortKey.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.example.com/realms/dev", true)]
    [InlineData("http://127.0.0.1:8081", true)]
    [InlineData("http://localhost:8081/realms/dev", true)]
    [InlineData("http://[::1]:8081", true)]
    [InlineData("http://keycloak.internal:8080/realms/dev", false)]
    [InlineData("http://10.0.0.5", false)]
    public void Load_JwtAuthority_HttpsRequiredExceptOnLoopback(string authority, bool accepted)
    {
        var load = () => Load(("CodeGraphRag:Auth:Mode", "Jwt"), ("CodeGraphRag:Auth:Jwt:Authority", authority));

        if (accepted)
        {
            Assert.Equal(authority, load().JwtAuthority);
        }
        else
        {
            var ex = Assert.Throws<ServerConfigurationException>(load);
            Assert.Contains("CodeGraphRag:Auth:Jwt:Authority", ex.Message, StringComparison.Ordinal);
            Assert.Contains("https", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToString_ShowsTheSettingsButNoSecret()
    {
        var settings = Load(
            ("CodeGraphRag:Auth:Mode", "ApiKey,Jwt"),
            ("CodeGraphRag:Auth:ApiKeys:0:Key", "apikey-0123456789abcdef"),
            ("CodeGraphRag:Auth:ApiKeys:0:Principal", "portal"),
            ("CodeGraphRag:Auth:Jwt:SigningKey", "jwtsigning-0123456789abcdef0123456789"),
            ("CodeGraphRag:Cluster:Clustering", "Redis"),
            ("CodeGraphRag:Storage:Redis:ConnectionString", "127.0.0.1:6379,password=redispw-0123456789"),
            ("CodeGraphRag:Webhooks:GitHubSecret", "ghsecret-0123456789"),
            ("CodeGraphRag:Webhooks:GitLabToken", "gltoken-0123456789"));

        var text = settings.ToString();

        Assert.Contains("Principal = portal", text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:6379", text, StringComparison.Ordinal);
        Assert.Contains("JwtSigningKey = set", text, StringComparison.Ordinal);
        Assert.Contains("GitLabToken = set", text, StringComparison.Ordinal);
        foreach (var secret in new[] { "apikey-", "jwtsigning-", "redispw-", "ghsecret-", "gltoken-" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
