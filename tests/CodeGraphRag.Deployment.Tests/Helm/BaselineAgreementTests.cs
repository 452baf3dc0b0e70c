using System.Text.RegularExpressions;
using CodeGraphRag.Deployment.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Deployment.Tests.Helm;

/// <summary>
/// One source of truth: k8s/ is the plain baseline and the chart's values.yaml defaults must describe the same
/// deployment. Changing a setting in one place without the other fails here.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed partial class BaselineAgreementTests
{
    /// <summary>ConfigMap key (k8s) to values.yaml path (chart).</summary>
    private static readonly Dictionary<string, string> ConfigMapToValues = new(StringComparer.Ordinal)
    {
        ["CodeGraphRag__Server__GrpcPort"] = "server.grpcPort",
        ["CodeGraphRag__Server__HttpPort"] = "server.httpPort",
        ["CodeGraphRag__Cluster__Clustering"] = "cluster.clustering",
        ["CodeGraphRag__Cluster__ClusterId"] = "cluster.clusterId",
        ["CodeGraphRag__Cluster__ServiceId"] = "cluster.serviceId",
        ["CodeGraphRag__Cluster__SiloPort"] = "cluster.siloPort",
        ["CodeGraphRag__Cluster__GatewayPort"] = "cluster.gatewayPort",
        ["CodeGraphRag__Storage__Embedded__DataDirectory"] = "storage.dataDirectory",
        ["CodeGraphRag__Storage__Milvus__Url"] = "storage.milvus.url",
        ["CodeGraphRag__Storage__Milvus__Database"] = "storage.milvus.database",
        ["CodeGraphRag__Storage__Milvus__Collection"] = "storage.milvus.collection",
        ["CodeGraphRag__Storage__Milvus__Shards"] = "storage.milvus.shards",
        ["CodeGraphRag__Storage__Neo4j__Url"] = "storage.neo4j.url",
        ["CodeGraphRag__Storage__Neo4j__User"] = "storage.neo4j.user",
        ["CodeGraphRag__Storage__Neo4j__Database"] = "storage.neo4j.database",
        ["CodeGraphRag__Embedding__Model"] = "embedding.model",
        ["CodeGraphRag__Auth__Mode"] = "auth.mode",
        ["CodeGraphRag__Auth__AdminGroup"] = "auth.adminGroup",
        ["CodeGraphRag__Auth__ApiKeys__0__Principal"] = "auth.apiKey.principal",
        ["CodeGraphRag__Auth__ApiKeys__0__Groups"] = "auth.apiKey.groups",
        ["CodeGraphRag__Git__CacheDirectory"] = "storage.gitCacheDirectory",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "telemetry.otlpEndpoint",
    };

    /// <summary>Secret-backed variable (k8s secretKeyRef) to the values.yaml path of its key in the existing Secret.</summary>
    private static readonly Dictionary<string, string> SecretToValues = new(StringComparer.Ordinal)
    {
        ["CodeGraphRag__Storage__Redis__ConnectionString"] = "existingSecret.redisConnectionStringKey",
        ["CodeGraphRag__Storage__Neo4j__Password"] = "existingSecret.neo4jPasswordKey",
        ["CodeGraphRag__Storage__Milvus__Token"] = "existingSecret.milvusTokenKey",
        ["CodeGraphRag__Auth__ApiKeys__0__Key"] = "existingSecret.apiKeyKey",
        ["CodeGraphRag__Auth__Jwt__SigningKey"] = "existingSecret.jwtSigningKeyKey",
        ["CodeGraphRag__Webhooks__GitHubSecret"] = "existingSecret.githubWebhookSecretKey",
        ["CodeGraphRag__Webhooks__GitLabToken"] = "existingSecret.gitlabWebhookTokenKey",
    };

    public static TheoryData<string> Roles => new(HelmChart.Roles);

    [Fact]
    public void ConfigMap_EqualsChartDefaults()
    {
        var data = KubernetesBaseline.ConfigMapData;

        Assert.All(data.Keys, k => Assert.True(ConfigMapToValues.ContainsKey(k), $"ConfigMap key {k} has no chart value; add one to values.yaml and this test."));
        Assert.All(data, kv => Assert.Equal(HelmChart.ValueText(ConfigMapToValues[kv.Key]), Yaml.Text(kv.Value)));
        Assert.True(HelmChart.Value("telemetry.enabled") is true);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Images_Agree(string role)
    {
        var image = Yaml.Text(KubernetesBaseline.Container(role)["image"]);
        var gpu = role == "embedder" && HelmChart.Value("roles.embedder.gpu.enabled") is true;
        var prefix = gpu ? "roles.embedder.gpu.image" : "image";

        Assert.Equal($"{HelmChart.ValueText(prefix + ".repository")}:{HelmChart.ValueText(prefix + ".tag")}", image);
        Assert.Equal(HelmChart.ValueText("image.pullPolicy"), Yaml.Text(KubernetesBaseline.Container(role)["imagePullPolicy"]));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void PoolSettings_Agree(string role)
    {
        var deployment = KubernetesBaseline.Deployment(role);
        var pod = deployment.PodSpec;
        var container = KubernetesBaseline.Container(role);
        var settings = $"roles.{role}";
        var resources = Yaml.Map(container["resources"], role);
        var limits = Yaml.Map(resources["limits"], role).Where(kv => kv.Key != HelmChart.ValueText("roles.embedder.gpu.resourceName"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var dataVolume = Yaml.Seq(pod["volumes"], role).Select(v => Yaml.Map(v, role)).Single(v => Yaml.Text(v["name"]) == "data");

        Assert.True(HelmChart.Value($"{settings}.enabled") is true);
        Assert.Equal(HelmChart.ValueText($"{settings}.replicas"), Yaml.Text(Yaml.At(deployment.Body, "spec", "replicas")));
        Assert.True(Yaml.DeepEquals(HelmChart.Value($"{settings}.resources"), new Dictionary<string, object?> { ["requests"] = resources["requests"], ["limits"] = limits }));
        Assert.True(Yaml.DeepEquals(HelmChart.Value($"{settings}.nodeSelector"), pod.GetValueOrDefault("nodeSelector")), $"{role}: nodeSelector differs");
        Assert.True(Yaml.DeepEquals(HelmChart.Value($"{settings}.tolerations"), pod.GetValueOrDefault("tolerations")), $"{role}: tolerations differ");
        Assert.True(Yaml.DeepEquals(HelmChart.Value($"{settings}.affinity"), pod.GetValueOrDefault("affinity")), $"{role}: affinity differs");
        Assert.Equal(HelmChart.ValueText($"{settings}.dataSizeLimit"), Yaml.Text(Yaml.At(dataVolume, "emptyDir", "sizeLimit")));
        Assert.Equal(HelmChart.ValueText("terminationGracePeriodSeconds"), Yaml.Text(pod["terminationGracePeriodSeconds"]));
        Assert.True(Yaml.DeepEquals(HelmChart.Value("podSecurityContext"), pod["securityContext"]), $"{role}: pod securityContext differs");
        Assert.True(Yaml.DeepEquals(HelmChart.Value("securityContext"), container["securityContext"]), $"{role}: container securityContext differs");
        Assert.Equal(HelmChart.ValueText("serviceAccount.automountServiceAccountToken"), Yaml.Text(pod["automountServiceAccountToken"]));
    }

    [Fact]
    public void Gpu_Agrees()
    {
        var container = KubernetesBaseline.Container("embedder");
        var resourceName = HelmChart.ValueText("roles.embedder.gpu.resourceName");

        Assert.True(HelmChart.Value("roles.embedder.gpu.enabled") is true);
        Assert.Equal(HelmChart.ValueText("roles.embedder.gpu.count"), Yaml.Text(Yaml.At(container, "resources", "limits", resourceName)));
        Assert.All(new[] { "indexer", "query" }, role => Assert.Null(Yaml.At(KubernetesBaseline.Container(role), "resources", "limits", resourceName)));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void PortsAndProbes_Agree(string role)
    {
        var container = KubernetesBaseline.Container(role);
        var ports = Yaml.Seq(container["ports"], role).Select(p => Yaml.Map(p, role)).ToDictionary(p => Yaml.Text(p["name"])!, p => Yaml.Text(p["containerPort"]));

        Assert.Equal(HelmChart.ValueText("server.grpcPort"), ports["grpc"]);
        Assert.Equal(HelmChart.ValueText("server.httpPort"), ports["http"]);
        Assert.Equal(HelmChart.ValueText("cluster.siloPort"), ports["silo"]);
        Assert.Equal(HelmChart.ValueText("cluster.gatewayPort"), ports["gateway"]);
        foreach (var (probe, key) in new[] { ("startupProbe", "startup"), ("readinessProbe", "readiness"), ("livenessProbe", "liveness") })
        {
            Assert.Equal(HelmChart.ValueText($"probes.{key}.path"), Yaml.Text(Yaml.At(container, probe, "httpGet", "path")));
            foreach (var setting in new[] { "periodSeconds", "timeoutSeconds", "failureThreshold" })
            {
                Assert.Equal(HelmChart.ValueText($"probes.{key}.{setting}"), Yaml.Text(Yaml.At(container, probe, setting)));
            }
        }
    }

    [Fact]
    public void DisruptionBudgetsServicesAndAutoscaling_Agree()
    {
        foreach (var role in HelmChart.Roles)
        {
            var pdb = Assert.Single(KubernetesBaseline.OfKind("PodDisruptionBudget"), p => p.Role == role);
            Assert.Equal(HelmChart.ValueText($"roles.{role}.pdb.maxUnavailable"), Yaml.Text(Yaml.At(pdb.Body, "spec", "maxUnavailable")));
            Assert.Equal(HelmChart.Value($"roles.{role}.service.enabled") is true, KubernetesBaseline.OfKind("Service").Any(s => s.Role == role));

            var hpa = KubernetesBaseline.OfKind("HorizontalPodAutoscaler").SingleOrDefault(h => h.Role == role);
            Assert.Equal(HelmChart.Value($"roles.{role}.autoscaling.enabled") is true, hpa is not null);
            if (hpa is not null)
            {
                Assert.Equal(HelmChart.ValueText($"roles.{role}.autoscaling.minReplicas"), Yaml.Text(Yaml.At(hpa.Body, "spec", "minReplicas")));
                Assert.Equal(HelmChart.ValueText($"roles.{role}.autoscaling.maxReplicas"), Yaml.Text(Yaml.At(hpa.Body, "spec", "maxReplicas")));
                var metric = Yaml.Map(Assert.Single(Yaml.Seq(Yaml.At(hpa.Body, "spec", "metrics"), "metrics")), "metric");
                Assert.Equal(
                    HelmChart.ValueText($"roles.{role}.autoscaling.targetCPUUtilizationPercentage"),
                    Yaml.Text(Yaml.At(metric, "resource", "target", "averageUtilization")));
            }
        }
    }

    [Fact]
    public void SecretReferences_Agree()
    {
        foreach (var role in HelmChart.Roles)
        {
            foreach (var (name, entry) in KubernetesBaseline.Environment(KubernetesBaseline.Container(role)))
            {
                if (Yaml.At(entry, "valueFrom", "secretKeyRef") is not { } reference)
                {
                    continue;
                }

                Assert.True(SecretToValues.ContainsKey(name), $"{role}: secret-backed {name} has no existingSecret key in values.yaml");
                Assert.Equal(HelmChart.ValueText("existingSecret.name"), Yaml.Text(Yaml.At(reference, "name")));
                Assert.Equal(HelmChart.ValueText(SecretToValues[name]), Yaml.Text(Yaml.At(reference, "key")));
            }
        }
    }

    [Fact]
    public void EveryBaselineVariable_IsSetByTheChart_AndTheChartSetsOnlyContractVariables()
    {
        var templates = string.Join('\n', HelmChart.Templates().Select(t => t.Text));
        var chartNames = VariableName().Matches(templates).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var baselineNames = KubernetesBaseline.ConfigMapData.Keys
            .Concat(HelmChart.Roles.SelectMany(r => KubernetesBaseline.Environment(KubernetesBaseline.Container(r)).Select(e => e.Name)));

        Assert.All(baselineNames, n => Assert.True(chartNames.Contains(n), $"k8s sets {n} but no chart template does"));
        Assert.All(chartNames, n => Assert.True(ConfigurationContract.IsServerVariable(n), $"the chart sets {n}, which is not in the configuration contract"));
        Assert.All(SecretToValues.Keys, n => Assert.Contains(n, chartNames));
    }

    [GeneratedRegex(@"\b(?:CodeGraphRag__[A-Za-z0-9_]+|OTEL_[A-Z_]+|CGR_[A-Z_]+)\b")]
    private static partial Regex VariableName();
}
