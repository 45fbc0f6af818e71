namespace Strata.Model;

/// <summary>
/// What a kind of object that lives in its own property of <see cref="DatabaseModel"/> brings to the model's central
/// operations (the schemas it uses, filtering by schema, counting, canonical order, recorded reads), so that
/// <see cref="DatabaseModel"/> and <see cref="ModelReads"/> loop over the kinds instead of naming each one.
/// </summary>
/// <remarks>
/// A kind registers from its own file, in a partial part of <see cref="DatabaseModel"/>:
/// <c>internal static readonly FunctionKind FunctionsKind = Register(new FunctionKind());</c> (see
/// <see cref="KindRegistry{T}"/> for why that is complete before it is read). Its <see cref="IKindPart.Order"/> places
/// it among the built-in kinds: schemas 0, tables 10, columns 11, views 20 and 21, enums 30, sequences 50, indexes 60,
/// foreign keys 61, checks 62 (the order of pull's summary and of <see cref="DatabaseModel.SchemaObjectKinds"/>).
/// </remarks>
internal abstract class ModelKind(int order, string key, string singular, string plural) : IKindPart
{
    public int Order { get; } = order;

    /// <summary>How <see cref="DatabaseModel.Counts"/> names the kind: its JSON key and its words.</summary>
    public ObjectCount Count(DatabaseModel model) => new(key, singular, Plural, CountIn(model));

    /// <summary>The plural word, as <see cref="DatabaseModel.SchemaObjectKinds"/> lists it.</summary>
    public string Plural { get; } = plural;

    /// <summary>
    /// Whether the kind's objects belong to a table (policies), like indexes and checks: not a kind of schema object of
    /// its own (<see cref="DatabaseModel.SchemaObjectKinds"/> leaves it out), and kept only with its table (<see cref="InRelations"/>).
    /// </summary>
    public virtual bool IsTableBound => false;

    /// <summary>The model with only the kind's objects whose table <paramref name="includesRelation"/> keeps; unchanged for a kind that is not table-bound.</summary>
    public virtual DatabaseModel InRelations(DatabaseModel model, Func<QualifiedName, bool> includesRelation) => model;

    protected abstract int CountIn(DatabaseModel model);

    /// <summary>The schema of each object of the kind, in model order (repeats allowed).</summary>
    public abstract IEnumerable<string> SchemasOf(DatabaseModel model);

    /// <summary>The model with only the kind's objects in schemas <paramref name="includesSchema"/> keeps.</summary>
    public abstract DatabaseModel InSchemas(DatabaseModel model, Func<string, bool> includesSchema);

    /// <summary>The model with the kind's objects in canonical order (by qualified name, each normalised).</summary>
    public abstract DatabaseModel Normalize(DatabaseModel model);

    /// <summary>Whether any object of the kind carries recorded reads.</summary>
    public abstract bool KnowsAnyReads(DatabaseModel model);

    /// <summary>
    /// <paramref name="target"/> with the reads of <paramref name="source"/>'s objects of the same names, only from equal
    /// objects when <paramref name="unchangedOnly"/> (see <see cref="ModelReads"/>).
    /// </summary>
    public abstract DatabaseModel CopyReads(DatabaseModel target, DatabaseModel source, bool unchangedOnly);
}

/// <summary>A <see cref="ModelKind"/> whose objects are <typeparamref name="T"/>s in one <see cref="ValueList{T}"/> of the model.</summary>
/// <remarks>Generic over a class only, so that ReadyToRun precompiles the shared code once for every kind.</remarks>
internal abstract class ModelKind<T>(int order, string key, string singular, string plural)
    : ModelKind(order, key, singular, plural) where T : class
{
    protected abstract ValueList<T> Items(DatabaseModel model);

    protected abstract DatabaseModel With(DatabaseModel model, ValueList<T> items);

    protected abstract QualifiedName NameOf(T item);

    /// <summary>The object in canonical form (its own lists sorted); as it is by default.</summary>
    protected virtual T Normalize(T item) => item;

    /// <summary>Whether the object carries recorded reads; none by default.</summary>
    protected virtual bool KnowsReads(T item) => false;

    /// <summary><paramref name="target"/> with the reads of <paramref name="source"/> where its own are unknown; unchanged by default.</summary>
    protected virtual T WithReads(T target, T source) => target;

    protected override int CountIn(DatabaseModel model) => Items(model).Count;

    public sealed override IEnumerable<string> SchemasOf(DatabaseModel model) => Items(model).Select(i => NameOf(i).Schema);

    public sealed override DatabaseModel InSchemas(DatabaseModel model, Func<string, bool> includesSchema) =>
        With(model, Items(model).Where(i => includesSchema(NameOf(i).Schema)).ToValueList());

    public sealed override DatabaseModel Normalize(DatabaseModel model)
    {
        var items = Items(model).ToArray();
        Array.Sort(items, (a, b) => NameOf(a).CompareTo(NameOf(b)));
        for (var i = 0; i < items.Length; i++)
            items[i] = Normalize(items[i]);
        return With(model, ValueList.Create(items));
    }

    public sealed override bool KnowsAnyReads(DatabaseModel model) => Items(model).Any(KnowsReads);

    public sealed override DatabaseModel CopyReads(DatabaseModel target, DatabaseModel source, bool unchangedOnly)
    {
        var sources = Items(source);
        if (sources.Count == 0)
            return target;
        var byName = new Dictionary<QualifiedName, T>();
        foreach (var item in sources)
            byName[NameOf(item)] = item;
        return With(target, Items(target)
            .Select(t => byName.TryGetValue(NameOf(t), out var from) && (!unchangedOnly || from.Equals(t)) ? WithReads(t, from) : t)
            .ToValueList());
    }
}
