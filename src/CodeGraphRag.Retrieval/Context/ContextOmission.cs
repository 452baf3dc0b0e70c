namespace CodeGraphRag.Retrieval.Context;

/// <summary>Why a hit is not in a packed context.</summary>
public enum ContextOmission
{
    /// <summary>It did not fit in the remaining budget.</summary>
    Budget,

    /// <summary>Its lines were already included by a better-ranked hit of the same file.</summary>
    Duplicate,
}
