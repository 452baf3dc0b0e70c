using System.Diagnostics.Metrics;
using System.Globalization;
using CodeGraphRag.Abstractions.Telemetry;
using CodeGraphRag.Evaluation;
using CodeGraphRag.Grains.Telemetry;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// Collects the query pipeline's stage durations (<see cref="PipelineMetrics.SearchStageInstrument"/>) recorded in this
/// process, so <c>cgr bench</c> can print p50/p95 per stage next to the whole-query latency.
/// </summary>
internal sealed class StageRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, List<TimeSpan>> _samples = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public StageRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CodeGraphRagTelemetry.Name && instrument.Name == PipelineMetrics.SearchStageInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Forgets what was recorded so far (after warm-up queries).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _samples.Clear();
        }
    }

    /// <summary>"stage p50/p95, ..." in pipeline order, for the stages that ran since the last <see cref="Clear"/>.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var parts = SearchStages.All
                .Where(_samples.ContainsKey)
                .Select(stage =>
                {
                    var l = RetrievalMetrics.Latency(_samples[stage]);
                    return string.Create(CultureInfo.InvariantCulture, $"{stage} {l.P50Ms:F1}/{l.P95Ms:F1}");
                });
            return string.Join(", ", parts) is { Length: > 0 } text ? text : "none recorded";
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? stage = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "stage")
            {
                stage = tag.Value as string;
            }
        }

        if (stage is null)
        {
            return;
        }

        lock (_gate)
        {
            if (!_samples.TryGetValue(stage, out var list))
            {
                _samples[stage] = list = [];
            }

            list.Add(TimeSpan.FromSeconds(seconds));
        }
    }
}
