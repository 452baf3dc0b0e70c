namespace CodeGraphRag.Evaluation;

/// <summary>How <see cref="CodeSearchNetAdapter"/> turns judgements into gold.</summary>
public sealed class CodeSearchNetOptions
{
    /// <summary>A judged snippet is relevant when its relevance is at least this (CodeSearchNet's scale is 0-3).</summary>
    public double RelevanceThreshold { get; set; } = 2.0;

    /// <summary>Use <c>relevance_max</c> instead of <c>relevance_mean</c> (the default: the annotators' consensus).</summary>
    public bool UseMaxRelevance { get; set; }

    /// <summary>Keep judgements whose file is not in the corpus (<c>in_corpus = 0</c>); they can never be found.</summary>
    public bool IncludeNotInCorpus { get; set; }
}
