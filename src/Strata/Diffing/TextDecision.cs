namespace Strata.Diffing;

/// <summary>The side of a comparison an object belongs to: the model compared from, or the one compared to.</summary>
public enum ModelSide
{
    /// <summary>The model the changes start from (for generate, the last snapshot's).</summary>
    Old,

    /// <summary>The model the changes lead to (for generate, the C# schema's).</summary>
    New,
}

/// <summary>
/// An object whose opaque SQL a decision of the differ needed to know the reads of (what PostgreSQL recorded
/// that it reads, <see cref="Model.ExpressionReads"/>) while its model did not know them, so that the decision
/// was taken from its text instead (a column's name in the text, a string literal equal to an enum's new
/// value, a <c>*</c> in a view). A caller that can ask PostgreSQL fills in the reads of both models and diffs again.
/// </summary>
/// <param name="Side">The model that did not know the reads.</param>
/// <param name="Object">The expression's owner, named in that model: <c>check public.orders.total_positive</c>,
/// <c>index public.orders.orders_lower_email</c>, <c>default public.orders.status</c>, <c>generated public.orders.total</c>,
/// <c>view public.open_orders</c>, and a user type's default or check as its kind names them (<c>default of {kind} public.t</c>, <c>check public.t.c</c>).</param>
public sealed record TextDecision(ModelSide Side, string Object) : IComparable<TextDecision>
{
    public int CompareTo(TextDecision? other) =>
        other is null ? 1 : Side != other.Side ? Side.CompareTo(other.Side) : string.CompareOrdinal(Object, other.Object);

    public override string ToString() => $"{Object} ({(Side == ModelSide.Old ? "old" : "new")} side)";
}
