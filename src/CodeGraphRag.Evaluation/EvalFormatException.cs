namespace CodeGraphRag.Evaluation;

/// <summary>An evaluation file that cannot be read; the message names the line and what is wrong.</summary>
public sealed class EvalFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="line">1-based line number, or null when the problem is not on one line.</param>
    /// <param name="message">What is wrong (the line number is prefixed).</param>
    /// <param name="inner">The underlying parse error, if any.</param>
    public EvalFormatException(int? line, string message, Exception? inner = null)
        : base(line is null ? message : $"line {line}: {message}", inner)
    {
        Line = line;
    }

    /// <summary>The 1-based line number, when known.</summary>
    public int? Line { get; }
}
