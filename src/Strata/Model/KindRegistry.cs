namespace Strata.Model;

/// <summary>What a kind of object brings to one step of the pipeline, placed among the other kinds by <see cref="Order"/>.</summary>
internal interface IKindPart
{
    /// <summary>Where the kind's part runs or writes among the other kinds' (unique within a step; built-in kinds come first).</summary>
    int Order { get; }
}

/// <summary>
/// The parts of the kinds of object that declare themselves in their own files, for one step (the validator's rules,
/// pull's C#, …), so that the step's central code loops over them instead of naming each kind.
/// </summary>
/// <remarks>
/// A kind's file registers in a partial part of the step's class with a static field:
/// <c>internal static readonly KindRules Rules = Register(new(Order: 10, …));</c>, where the central part has
/// <c>private static KindRegistry&lt;KindRules&gt;? _kinds;</c> and <c>Register(p) =&gt; (_kinds ??= new()).Add(p)</c>.
/// C# runs the static field initializers of every partial part in the type's one initializer, before any of its
/// static fields is read, so the registry is complete when the central code first reads it. The central field has
/// no initializer because the parts' initializers run in an unspecified order and one there could run after them.
/// A class, not a struct, and generic only over classes: ReadyToRun precompiles that code once for every step.
/// </remarks>
internal sealed class KindRegistry<T> where T : class, IKindPart
{
    private readonly List<T> _parts = [];
    private T[]? _inOrder;

    public T Add(T part)
    {
        if (_parts.Exists(p => p.Order == part.Order))
            throw new InvalidOperationException($"Two kinds' parts of {typeof(T).Name} have the order {part.Order}.");
        _parts.Add(part);
        _inOrder = null;
        return part;
    }

    /// <summary>The parts by <see cref="IKindPart.Order"/>.</summary>
    public T[] InOrder
    {
        get
        {
            if (_inOrder is null)
            {
                var sorted = _parts.ToArray();
                Array.Sort(sorted, static (a, b) => a.Order.CompareTo(b.Order));
                _inOrder = sorted;
            }
            return _inOrder;
        }
    }
}
