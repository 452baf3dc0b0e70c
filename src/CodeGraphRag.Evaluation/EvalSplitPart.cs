namespace CodeGraphRag.Evaluation;

/// <summary>Which part of a query set a query belongs to.</summary>
public enum EvalSplitPart
{
    /// <summary>Used for tuning (graph shares, fusion weights).</summary>
    Dev,

    /// <summary>Used only for reported numbers; never for tuning.</summary>
    Test,
}
