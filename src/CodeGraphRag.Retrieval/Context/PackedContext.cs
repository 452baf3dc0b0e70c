namespace CodeGraphRag.Retrieval.Context;

/// <summary>The result of packing hits into a token budget.</summary>
/// <param name="Text">The context text, ready to paste into a prompt.</param>
/// <param name="Tokens">Tokens of <paramref name="Text"/> by the caller's counter (at most the budget).</param>
/// <param name="Included">Blocks included, in output order (a hit partly covered by an earlier one may give several blocks).</param>
/// <param name="Omitted">Hits left out entirely, with the reason.</param>
/// <param name="RelatedIncluded">Related items shown in total.</param>
/// <param name="RelatedOmitted">Related items left out (budget, cap or already shown).</param>
public sealed record PackedContext(
    string Text,
    int Tokens,
    IReadOnlyList<PackedBlock> Included,
    IReadOnlyList<OmittedHit> Omitted,
    int RelatedIncluded,
    int RelatedOmitted);
