namespace CodeGraphRag.Evaluation;

/// <summary>Percentile bootstrap confidence intervals for paired per-query metrics.</summary>
public static class BootstrapCi
{
    /// <summary>95% percentile-bootstrap interval of the mean of <c>a[i] - b[i]</c> (the same queries under two modes).</summary>
    /// <param name="a">Per-query values of the first system.</param>
    /// <param name="b">Per-query values of the second system, same query order.</param>
    /// <param name="resamples">Number of bootstrap resamples (for example 10,000).</param>
    /// <param name="rng">Seeded random source, so reports are reproducible.</param>
    /// <returns>The observed mean difference and the interval (quantiles with linear interpolation).</returns>
    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static BootstrapResult PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples, Random rng)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"Paired lists differ in length ({a.Count} and {b.Count}); give one value per query for both.", nameof(b));
        }

        if (a.Count == 0)
        {
            throw new ArgumentException("No values to compare.", nameof(a));
        }

        var n = a.Count;
        var diff = new double[n];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            diff[i] = a[i] - b[i];
            total += diff[i];
        }

        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += diff[rng.Next(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        return new BootstrapResult(total / n, Quantile(means, 0.025), Quantile(means, 0.975));
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
