using System.Diagnostics.Metrics;
using CodeGraphRag.Abstractions.Telemetry;

namespace CodeGraphRag.Api.Telemetry;

/// <summary>The server's instruments, on the product's meter (<see cref="CodeGraphRagTelemetry.Name"/>).</summary>
internal sealed class ServerTelemetry : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<double> _queryDuration;
    private readonly Counter<long> _rpcs;
    private readonly Counter<long> _webhooks;

    public ServerTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(CodeGraphRagTelemetry.Name);
        _queryDuration = _meter.CreateHistogram<double>("cgr.query.duration", "s", "Search and GetContext latency by retrieval mode.");
        _rpcs = _meter.CreateCounter<long>("cgr.rpc.requests", "{request}", "gRPC requests by method and status code.");
        _webhooks = _meter.CreateCounter<long>("cgr.webhook.deliveries", "{delivery}", "Webhook deliveries by provider and outcome.");
    }

    public void RecordQuery(string mode, TimeSpan elapsed) => _queryDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("mode", mode));

    public void RecordRpc(string method, string status)
        => _rpcs.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("status", status));

    public void RecordWebhook(string provider, int status)
        => _webhooks.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("status", status));

    public void Dispose() => _meter.Dispose();
}
