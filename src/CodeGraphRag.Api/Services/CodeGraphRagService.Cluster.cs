using CodeGraphRag.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CodeGraphRag.Api.Services;

/// <summary>The cluster's silos: roles and grain activations (<see cref="ClusterInspection"/>).</summary>
internal sealed partial class CodeGraphRagService
{
    public override async Task<V1.ClusterStatusResponse> ClusterStatus(V1.ClusterStatusRequest request, ServerCallContext context)
    {
        var (caller, entry) = ApiCall.Of(context);
        RequireAdmin(caller, "the cluster's status");
        var silos = await ClusterInspection.ReadAsync(services, context.CancellationToken);
        var response = new V1.ClusterStatusResponse();
        foreach (var silo in silos)
        {
            var status = new V1.SiloStatus
            {
                Address = silo.Address,
                Name = silo.Name,
                Status = silo.Status,
                Started = Timestamp.FromDateTimeOffset(silo.Started),
            };
            status.Roles.AddRange(SiloRolesParser.Names(silo.Roles));
            foreach (var (grain, count) in silo.Activations)
            {
                status.Activations[grain] = count;
            }

            response.Silos.Add(status);
        }

        entry.ResultCount = response.Silos.Count;
        return response;
    }
}
