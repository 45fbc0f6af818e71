using Strata.Diffing.Planning;
using Strata.Model;
using Index = Strata.Model.Index;

namespace Strata.Diffing;

/// <summary>
/// Collations: created first (after their schema, before the user types, columns and indexes that use them), renamed when
/// equal but for the name (no decision asked: a collation holds no data), commented in place, and dropped after what
/// used them. PostgreSQL cannot alter a collation's definition: the old one steps aside under a temporary name, the
/// new one is created, the columns that use it are set to it (ALTER COLUMN … TYPE … COLLATE, which rebuilds their
/// indexes), the user types that use it are re-created as for a new collation, and the old one is dropped. The changes
/// this part plans are declared at the end of the file.
/// </summary>
internal sealed partial class DiffRun
{
    // After the extensions (a schema's objects come in this order), before the user types that may use a collation.
    internal static readonly DiffPart DiffCollationsPart = Part(DiffPhase.MatchTypes, order: 4, static run => run.DiffCollations());

    // After the schemas are created (Renames + 100) and the extensions (Renames + 150), before every create; a re-created
    // collation's old one steps aside before. Dropped after the user types (Releases + 50) and the columns' changes, before
    // the extensions (Releases + 190) and schemas (Releases + 200).
    private const int RenameCollationRank = ChangeRank.Renames + 140;
    private const int CreateCollationRank = ChangeRank.Renames + 160;
    private const int DropCollationRank = ChangeRank.Releases + 180;

    /// <summary>An old collation's key (schema, name) to its new one, for the collations renamed or in a renamed schema.</summary>
    private readonly Dictionary<QualifiedName, QualifiedName> _collationMap = [];

    /// <summary>The collations re-created with another definition, by name: what uses one is set to the new one.</summary>
    private readonly HashSet<QualifiedName> _recreatedCollations = [];

    private void DiffCollations()
    {
        var oldByName = new Dictionary<QualifiedName, Collation>();
        foreach (var collation in _old.Collations)
        {
            // A dropped schema's collations go with it, also when a renamed schema takes its name (and names its own alike).
            if (SchemaReplaced(collation.Schema))
                PlanDropCollation(collation, collation.QualifiedName);
            else
                oldByName[MapSchema(collation.QualifiedName)] = collation;
        }
        var newByName = _new.Collations.ToDictionary(c => c.QualifiedName);
        var dropped = oldByName.Where(kv => !newByName.ContainsKey(kv.Key)).Select(kv => kv.Key).ToList();
        var added = _new.Collations.Where(c => !oldByName.ContainsKey(c.QualifiedName)).ToList();

        // A collation of the same name and definition as a dropped one of another schema is that one moved (ALTER
        // COLLATION … SET SCHEMA): what uses it follows it, as it would a rename.
        PairDropsWithCreates(dropped, added, oldByName, (oldName, old, to) => to.Name == oldName.Name && to.SameDefinition(old), (oldName, to) =>
        {
            var move = Add(RenameCollationRank, new MoveCollation(oldName, to.Schema))
                .Provide(FactState.Gone, DependencyKind.Collation, oldName);
            TakeName(move, DependencyKind.Collation, to.QualifiedName);
            // Out of its old schema before that schema is dropped.
            if (!_new.Schemas.Contains(oldName.Schema) || SchemaReplaced(oldName.Schema))
                move.Precede(FactState.Gone, ObjectRef.Schema(oldName.Schema));
        });
        // A collation equal to a dropped one of the same schema but for the name is that one renamed.
        PairDropsWithCreates(dropped, added, oldByName, (oldName, old, to) => to.Schema == oldName.Schema && to.SameDefinition(old), (oldName, to) =>
        {
            var rename = Add(RenameCollationRank, new RenameCollation(oldName, to.Name))
                .Provide(FactState.Gone, DependencyKind.Collation, oldName);
            // Named by its schema's new name: after a schema rename (TakeName waits for the schema).
            TakeName(rename, DependencyKind.Collation, to.QualifiedName);
        });
        foreach (var oldName in dropped)
            PlanDropCollation(oldByName[oldName], oldName);
        foreach (var collation in added)
            PlanCreateCollation(collation);

        foreach (var (name, collation) in newByName)
        {
            if (!oldByName.TryGetValue(name, out var old))
                continue;
            _collationMap[old.QualifiedName] = name;
            if (!old.SameDefinition(collation))
            {
                _recreatedCollations.Add(name);
                var aside = name with { Name = DroppedName(name.Name) };
                var stepAside = Add(RenameCollationRank, new RenameCollation(name, aside.Name))
                    .Provide(FactState.Gone, DependencyKind.Collation, name)
                    .Provide(FactState.Exists, DependencyKind.Collation, aside);
                UsesNewSchema(stepAside, name.Schema);
                PlanDropCollation(old with { Schema = aside.Schema, Name = aside.Name }, aside);
                PlanCreateCollation(collation);
            }
            else if (old.Comment != collation.Comment)
                Comment(CommentTarget.Collation, name, null, collation.Comment, DependencyKind.Collation);
        }
    }

    private void PlanCreateCollation(Collation collation)
    {
        var create = Add(CreateCollationRank, new CreateCollation(collation));
        TakeName(create, DependencyKind.Collation, collation.QualifiedName);
        if (collation.Comment is not null)
            Comment(CommentTarget.Collation, collation.QualifiedName, null, collation.Comment, DependencyKind.Collation);
    }

    /// <summary>
    /// Pairs each dropped collation with the first added one <paramref name="match"/> takes for it: the pair is one
    /// collation kept (moved or renamed by <paramref name="plan"/>), mapped for what uses it, its comment set if it changed.
    /// </summary>
    private void PairDropsWithCreates(List<QualifiedName> dropped, List<Collation> added, Dictionary<QualifiedName, Collation> oldByName,
        Func<QualifiedName, Collation, Collation, bool> match, Action<QualifiedName, Collation> plan)
    {
        foreach (var oldName in dropped.ToList())
        {
            var old = oldByName[oldName];
            var to = added.FirstOrDefault(a => match(oldName, old, a));
            if (to is null)
                continue;
            dropped.Remove(oldName);
            added.Remove(to);
            _collationMap[old.QualifiedName] = to.QualifiedName;
            plan(oldName, to);
            if (old.Comment != to.Comment)
                Comment(CommentTarget.Collation, to.QualifiedName, null, to.Comment, DependencyKind.Collation);
        }
    }

    /// <summary>DROP COLLATION of <paramref name="asNamed"/>, named <paramref name="name"/> when the drop runs (its schema's new name, or its name aside).</summary>
    private void PlanDropCollation(Collation asNamed, QualifiedName name)
    {
        // After a re-created collation's old one has stepped aside under that name.
        var drop = Add(DropCollationRank, new DropCollation(asNamed with { Schema = name.Schema, Name = name.Name }))
            .Need(FactState.Exists, DependencyKind.Collation, name);
        FreeName(drop, DependencyKind.Collation, name);
        // A schema dropped (not renamed) goes once its collations are gone.
        if (MapSchema(asNamed.Schema) == asNamed.Schema && (!_new.Schemas.Contains(asNamed.Schema) || SchemaReplaced(asNamed.Schema)))
            drop.Precede(FactState.Gone, ObjectRef.Schema(asNamed.Schema));
    }

    /// <summary>Whether an old schema is dropped while another one is renamed to its name.</summary>
    private bool SchemaReplaced(string oldSchema) => !_schemaMap.ContainsKey(oldSchema) && _schemaMap.ContainsValue(oldSchema);

    /// <summary>Whether a column of <paramref name="table"/> (it is set to the new one) or an index key (its index is built again) uses a collation re-created in this diff.</summary>
    private bool UsesRecreatedCollation(Table table)
    {
        if (_recreatedCollations.Count == 0)
            return false;
        foreach (var column in table.Columns)
        {
            if (column.Collation is { } name && _recreatedCollations.Contains(CollationReference.KeyOf(column.CollationSchema, name)))
                return true;
        }
        return table.Indexes.Any(i => UsesRecreatedCollation(i.Elements));
    }

    /// <summary>
    /// An old index's keys with their COLLATE named as in the new model (a collation renamed, or in a renamed schema), so
    /// that only a key whose collation really changed makes the index differ.
    /// </summary>
    private ValueList<Index> WithKeyCollationsMapped(ValueList<Index> indexes) =>
        _collationMap.Count == 0 && _schemaMap.Count == 0 || !indexes.Any(i => i.Elements.Any(e => e.Collation is not null))
            ? indexes
            : indexes.Select(i => i with { Elements = i.Elements.Select(MapKeyCollation).ToValueList() }).ToValueList();

    private IndexElement MapKeyCollation(IndexElement key) =>
        key.Collation is { } name && MapCollation(key.CollationSchema, name) is var (schema, mapped)
            ? key with { Collation = mapped, CollationSchema = schema }
            : key;

    /// <summary>An old COLLATE (schema as a reference keeps it, name) as the new model names that collation.</summary>
    private (string? Schema, string Name) MapCollation(string? schema, string name)
    {
        var oldKey = CollationReference.KeyOf(schema, name);
        var mapped = _collationMap.TryGetValue(oldKey, out var renamed) ? renamed : MapSchema(oldKey);
        return mapped == oldKey ? (schema, name) : (CollationReference.SchemaOf(mapped.Schema), mapped.Name);
    }

    /// <summary>Whether a key uses a collation re-created in this diff: its index is built again over the new one.</summary>
    private bool UsesRecreatedCollation(IEnumerable<IndexElement> keys) =>
        _recreatedCollations.Count > 0
        && keys.Any(k => k.Collation is { } name && _recreatedCollations.Contains(CollationReference.KeyOf(k.CollationSchema, name)));

    /// <summary>The collations an index's keys name (a key's own COLLATE), as the model keys them.</summary>
    private static IEnumerable<QualifiedName> KeyCollations(IEnumerable<IndexElement> keys) =>
        keys.Where(k => k.Collation is not null).Select(k => CollationReference.KeyOf(k.CollationSchema, k.Collation!)).Distinct();

    /// <summary>
    /// Whether an old column's or user type's COLLATE (<paramref name="oldSchema"/>, <paramref name="oldName"/>) is the new
    /// one's: the same collation, perhaps renamed or in a renamed schema, and not re-created with another definition.
    /// </summary>
    private bool KeepsCollation(string? oldSchema, string? oldName, string? newSchema, string? newName)
    {
        if (oldName is null || newName is null)
            return oldName is null && newName is null;
        var oldKey = CollationReference.KeyOf(oldSchema, oldName);
        var mapped = _collationMap.TryGetValue(oldKey, out var renamed) ? renamed : MapSchema(oldKey);
        var newKey = CollationReference.KeyOf(newSchema, newName);
        return mapped == newKey && !_recreatedCollations.Contains(newKey);
    }
}

/// <summary>CREATE COLLATION with its provider, locale and determinism.</summary>
public sealed record CreateCollation(Collation Collation) : SchemaChange;

/// <summary>DROP COLLATION: <see cref="Collation"/> as named when it runs.</summary>
public sealed record DropCollation(Collation Collation) : SchemaChange;

/// <summary>ALTER COLLATION … SET SCHEMA: the collation <see cref="From"/> moved to <see cref="Schema"/>, its name kept.</summary>
public sealed record MoveCollation(QualifiedName From, string Schema) : SchemaChange;

/// <summary>ALTER COLLATION … RENAME TO: a rename, or a re-created collation's old one stepping aside.</summary>
public sealed record RenameCollation(QualifiedName From, string To) : SchemaChange;

public sealed partial record CommentTarget
{
    public static CommentTarget Collation { get; } = new(nameof(Collation), "COLLATION");
}
