namespace CodeGraphRag.Evaluation;

/// <summary>A paired bootstrap estimate of a mean difference.</summary>
/// <param name="MeanDifference">Observed mean of <c>a[i] - b[i]</c>.</param>
/// <param name="Lower">2.5th percentile of the resampled means.</param>
/// <param name="Upper">97.5th percentile of the resampled means.</param>
public sealed record BootstrapResult(double MeanDifference, double Lower, double Upper)
{
    /// <summary>Whether the 95% interval excludes 0.</summary>
    public bool ExcludesZero => Lower > 0 || Upper < 0;
}
