using CodeGraphRag.Deployment.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Deployment.Tests.Kubernetes;

[Trait("Category", TestCategories.Unit)]
public sealed class KubernetesManifestTests
{
    private const string GpuResource = "nvidia.com/gpu";

    private static IEnumerable<(KubernetesObject Owner, Dictionary<string, object?> Container)> AllContainers =>
        KubernetesBaseline.Objects.Where(o => Yaml.At(o.Body, "spec", "template", "spec") is not null)
            .SelectMany(o => o.Containers.Select(c => (o, c)));

    [Fact]
    public void Manifests_CoverEveryRoleAndObjectKind()
    {
        Assert.Equal(["embedder", "indexer", "query"], KubernetesBaseline.OfKind("Deployment").Select(d => d.Role!).Order(StringComparer.Ordinal));
        Assert.Single(KubernetesBaseline.OfKind("Namespace"));
        Assert.Single(KubernetesBaseline.OfKind("ConfigMap"));
        Assert.Single(KubernetesBaseline.OfKind("ServiceAccount"));
        Assert.NotEmpty(KubernetesBaseline.OfKind("Service"));
        Assert.NotEmpty(KubernetesBaseline.OfKind("PodDisruptionBudget"));
        Assert.Single(KubernetesBaseline.OfKind("HorizontalPodAutoscaler"));
        Assert.Empty(KubernetesBaseline.OfKind("Secret"));
    }

    [Fact]
    public void Kustomization_ListsEveryManifest()
    {
        var kustomization = Yaml.LoadSingle(RepositoryRoot.PathOf(KubernetesBaseline.Folder, "kustomization.yaml"));

        Assert.Equal(
            KubernetesBaseline.ManifestFiles().Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Yaml.Seq(kustomization["resources"], "resources").Select(Yaml.Text).Order(StringComparer.Ordinal));
        Assert.All(KubernetesBaseline.Objects.Where(o => o.Kind != "Namespace"), o => Assert.Equal(
            Yaml.Text(kustomization["namespace"]), Yaml.Text(Yaml.At(o.Body, "metadata", "namespace"))));
    }

    [Fact]
    public void EveryContainer_ImageTag_IsPinned()
    {
        Assert.NotEmpty(AllContainers);
        Assert.All(AllContainers, x => ImageReference.AssertPinned(Yaml.Text(x.Container["image"]), x.Owner.Where));
    }

    [Fact]
    public void EveryContainer_HasStartupReadinessAndLivenessProbes_OnTheHttpPort()
    {
        var httpPort = Yaml.Text(KubernetesBaseline.ConfigMapData["CodeGraphRag__Server__HttpPort"]);

        foreach (var (owner, container) in AllContainers)
        {
            foreach (var (probe, path) in new[] { ("startupProbe", "/health/startup"), ("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live") })
            {
                var get = Yaml.At(container, probe, "httpGet");
                Assert.False(get is null, $"{owner.Where}: no {probe}");
                Assert.Equal(path, Yaml.Text(Yaml.At(get, "path")));
                var port = Yaml.Text(Yaml.At(get, "port"));
                var named = Yaml.Seq(container["ports"], owner.Where).Select(p => Yaml.Map(p, owner.Where)).SingleOrDefault(p => Yaml.Text(p["name"]) == port);
                Assert.Equal(httpPort, named is null ? port : Yaml.Text(named["containerPort"]));
            }
        }
    }

    [Fact]
    public void EveryContainer_HasResources_WithCpuRequestAndNoCpuLimit()
    {
        foreach (var (owner, container) in AllContainers)
        {
            Assert.False(Yaml.At(container, "resources", "requests", "cpu") is null, $"{owner.Where}: no CPU request");
            Assert.False(Yaml.At(container, "resources", "requests", "memory") is null, $"{owner.Where}: no memory request");
            Assert.False(Yaml.At(container, "resources", "limits", "memory") is null, $"{owner.Where}: no memory limit");
            Assert.True(Yaml.At(container, "resources", "limits", "cpu") is null, $"{owner.Where}: a CPU limit throttles silos; set a request only");
        }
    }

    [Fact]
    public void EveryPod_RunsAsNonRoot_WithoutServiceAccountToken()
    {
        foreach (var deployment in KubernetesBaseline.OfKind("Deployment"))
        {
            var pod = deployment.PodSpec;
            Assert.Equal(true, Yaml.At(pod, "securityContext", "runAsNonRoot"));
            Assert.NotEqual(0L, Yaml.At(pod, "securityContext", "runAsUser"));
            Assert.Equal(false, pod["automountServiceAccountToken"]);
            Assert.True((long)pod["terminationGracePeriodSeconds"]! > 120, $"{deployment.Where}: grace period must exceed the 120 s shutdown timeout");
            Assert.Equal("0", Yaml.Text(Yaml.At(deployment.Body, "spec", "strategy", "rollingUpdate", "maxUnavailable")));
            foreach (var container in deployment.Containers)
            {
                Assert.Equal(false, Yaml.At(container, "securityContext", "allowPrivilegeEscalation"));
                Assert.Equal(true, Yaml.At(container, "securityContext", "readOnlyRootFilesystem"));
            }
        }
    }

    [Fact]
    public void EveryServerContainer_AdvertisesPodIp_AndExposesOrleansPorts()
    {
        var config = KubernetesBaseline.ConfigMapData;

        foreach (var role in HelmChart.Roles)
        {
            var container = KubernetesBaseline.Container(role);
            var env = KubernetesBaseline.Environment(container).ToDictionary(e => e.Name, e => e.Entry, StringComparer.Ordinal);
            var ports = Yaml.Seq(container["ports"], role).Select(p => Yaml.Map(p, role)).ToDictionary(p => Yaml.Text(p["name"])!, p => Yaml.Text(p["containerPort"]));

            Assert.Equal("status.podIP", Yaml.Text(Yaml.At(env["CodeGraphRag__Cluster__AdvertisedAddress"], "valueFrom", "fieldRef", "fieldPath")));
            Assert.Equal(role, Yaml.Text(env["CodeGraphRag__Cluster__Roles"]["value"]));
            Assert.Equal(Yaml.Text(config["CodeGraphRag__Server__GrpcPort"]), ports["grpc"]);
            Assert.Equal(Yaml.Text(config["CodeGraphRag__Server__HttpPort"]), ports["http"]);
            Assert.Equal(Yaml.Text(config["CodeGraphRag__Cluster__SiloPort"]), ports["silo"]);
            Assert.Equal(Yaml.Text(config["CodeGraphRag__Cluster__GatewayPort"]), ports["gateway"]);
            Assert.Equal("configMapRef", Assert.Single(Yaml.Map(Assert.Single(Yaml.Seq(container["envFrom"], role)), role).Keys));
        }

        Assert.Equal("Redis", Yaml.Text(config["CodeGraphRag__Cluster__Clustering"]));
    }

    [Fact]
    public void Embedder_RequestsGpu_WithNodeSelectorAndToleration()
    {
        var deployment = KubernetesBaseline.Deployment("embedder");
        var container = KubernetesBaseline.Container("embedder");
        var toleration = Yaml.Map(Assert.Single(Yaml.Seq(deployment.PodSpec["tolerations"], "tolerations")), "toleration");
        var env = KubernetesBaseline.Environment(container).ToDictionary(e => e.Name, e => e.Entry, StringComparer.Ordinal);

        Assert.True((long)Yaml.At(container, "resources", "limits", GpuResource)! >= 1);
        Assert.Equal(GpuResource, Yaml.Text(toleration["key"]));
        Assert.Equal("NoSchedule", Yaml.Text(toleration["effect"]));
        Assert.NotEmpty(Yaml.Map(deployment.PodSpec["nodeSelector"], "nodeSelector"));
        Assert.Equal("cuda", Yaml.Text(env["CodeGraphRag__Embedding__Device"]["value"]));
        Assert.EndsWith("-cuda", Yaml.Text(container["image"]), StringComparison.Ordinal);
    }

    [Fact]
    public void CpuPools_RequestNoGpu_AndRunOnAnyNode()
    {
        foreach (var role in new[] { "indexer", "query" })
        {
            var deployment = KubernetesBaseline.Deployment(role);

            Assert.Null(Yaml.At(KubernetesBaseline.Container(role), "resources", "limits", GpuResource));
            Assert.Null(deployment.PodSpec.GetValueOrDefault("tolerations"));
            Assert.Null(deployment.PodSpec.GetValueOrDefault("nodeSelector"));
        }
    }

    [Fact]
    public void Secrets_ComeFromSecretKeyRefs_NeverFromValuesOrTheConfigMap()
    {
        foreach (var (owner, container) in AllContainers)
        {
            foreach (var (name, entry) in KubernetesBaseline.Environment(container).Where(e => ConfigurationContract.IsSensitive(e.Name)))
            {
                Assert.False(entry.ContainsKey("value"), $"{owner.Where}: {name} has a literal value");
                Assert.False(Yaml.At(entry, "valueFrom", "secretKeyRef", "key") is null, $"{owner.Where}: {name} must come from a secretKeyRef");
            }
        }

        Assert.All(KubernetesBaseline.ConfigMapData, kv =>
        {
            Assert.False(ConfigurationContract.IsSensitive(kv.Key), $"ConfigMap holds credential {kv.Key}");
            Assert.DoesNotContain("password=", Yaml.Text(kv.Value) ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void EveryVariable_BelongsToTheConfigurationContract()
    {
        var names = KubernetesBaseline.ConfigMapData.Keys
            .Concat(AllContainers.SelectMany(x => KubernetesBaseline.Environment(x.Container).Select(e => e.Name)));

        Assert.All(names, n => Assert.True(ConfigurationContract.IsServerVariable(n), $"{n} is not in the configuration contract"));
    }

    [Fact]
    public void ServicesPdbsAndHpa_SelectExistingPools()
    {
        var podLabels = KubernetesBaseline.OfKind("Deployment")
            .ToDictionary(d => d.Role!, d => Yaml.Map(Yaml.At(d.Body, "spec", "template", "metadata", "labels"), d.Where));

        foreach (var service in KubernetesBaseline.OfKind("Service"))
        {
            var selector = Yaml.Map(Yaml.At(service.Body, "spec", "selector"), service.Where);
            Assert.True(podLabels.ContainsKey(service.Role!), $"{service.Where}: no pool {service.Role}");
            Assert.All(selector, kv => Assert.Equal(Yaml.Text(kv.Value), Yaml.Text(podLabels[service.Role!].GetValueOrDefault(kv.Key))));
            var grpc = Yaml.Seq(Yaml.At(service.Body, "spec", "ports"), service.Where).Select(p => Yaml.Map(p, service.Where)).Single(p => Yaml.Text(p["name"]) == "grpc");
            Assert.Equal("grpc", Yaml.Text(grpc["targetPort"]));
            Assert.Equal("kubernetes.io/h2c", Yaml.Text(grpc["appProtocol"]));
        }

        Assert.Contains(KubernetesBaseline.OfKind("Service"), s => s.Role == "query");
        Assert.Equal(
            podLabels.Keys.Order(StringComparer.Ordinal),
            KubernetesBaseline.OfKind("PodDisruptionBudget").Select(p => p.Role!).Order(StringComparer.Ordinal));
        foreach (var pdb in KubernetesBaseline.OfKind("PodDisruptionBudget"))
        {
            var selector = Yaml.Map(Yaml.At(pdb.Body, "spec", "selector", "matchLabels"), pdb.Where);
            Assert.All(selector, kv => Assert.Equal(Yaml.Text(kv.Value), Yaml.Text(podLabels[pdb.Role!].GetValueOrDefault(kv.Key))));
        }

        var hpa = Assert.Single(KubernetesBaseline.OfKind("HorizontalPodAutoscaler"));
        Assert.Equal(KubernetesBaseline.Deployment("query").Name, Yaml.Text(Yaml.At(hpa.Body, "spec", "scaleTargetRef", "name")));
        Assert.Equal("autoscaling/v2", Yaml.Text(hpa.Body["apiVersion"]));
    }
}
