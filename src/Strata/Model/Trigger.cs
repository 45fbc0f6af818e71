using Strata.Snapshots;

namespace Strata.Model;

/// <summary>When a trigger fires relative to the statement or row (<c>BEFORE</c>, <c>AFTER</c>, <c>INSTEAD OF</c>).</summary>
public enum TriggerTiming
{
    [SnapshotName("before")]
    Before,
    [SnapshotName("after")]
    After,
    /// <summary>INSTEAD OF: on views only, for each row.</summary>
    [SnapshotName("insteadOf")]
    InsteadOf,
}

/// <summary>An event a trigger fires on; a trigger has one or more (<c>INSERT OR UPDATE …</c>).</summary>
public enum TriggerEvent
{
    [SnapshotName("insert")]
    Insert,
    [SnapshotName("update")]
    Update,
    [SnapshotName("delete")]
    Delete,
    [SnapshotName("truncate")]
    Truncate,
}

/// <summary>
/// Whether a trigger fires (<c>ALTER TABLE … ENABLE | DISABLE TRIGGER</c>), against session_replication_role: Origin
/// (the default) fires in origin and local sessions, Replica only in replica sessions, Always in every session.
/// </summary>
public enum TriggerEnabled
{
    [SnapshotName("origin")]
    Origin,
    [SnapshotName("disabled")]
    Disabled,
    [SnapshotName("replica")]
    Replica,
    [SnapshotName("always")]
    Always,
}

/// <summary>The triggers of one table or view, kept beside it in <see cref="DatabaseModel.Triggers"/>.</summary>
/// <param name="Relation">The table's or view's name in <paramref name="Schema"/>.</param>
public sealed record RelationTriggers(string Schema, string Relation, ValueList<Trigger> Triggers = default)
{
    public QualifiedName RelationName => new(Schema, Relation);

    /// <summary>Canonical order: triggers by name, each normalised.</summary>
    public RelationTriggers Normalize() => this with
    {
        Triggers = Triggers.Select(t => t.Normalize()).OrderBy(t => t.Name, StringComparer.Ordinal).ToValueList(),
    };

    public Trigger? Find(string name) => Triggers.FirstOrDefault(t => t.Name == name);
}

/// <summary>
/// A trigger of a table or view (<c>CREATE [CONSTRAINT] TRIGGER name … ON relation … EXECUTE FUNCTION f(args)</c>):
/// names are unique per relation.
/// </summary>
/// <param name="Events">The events it fires on, each once, in PostgreSQL's order (INSERT, UPDATE, DELETE, TRUNCATE) once normalised.</param>
/// <param name="Function">The trigger function (no arguments, RETURNS trigger).</param>
/// <param name="ForEachRow">FOR EACH ROW; false for FOR EACH STATEMENT (the default).</param>
/// <param name="UpdateOf">UPDATE OF: the columns whose update fires it, in their declared order; empty for any update.</param>
/// <param name="When">The WHEN condition as SQL; null when none.</param>
/// <param name="Arguments">The arguments passed to the function (TG_ARGV), always strings.</param>
/// <param name="OldTable">REFERENCING OLD TABLE AS: the transition table of the old rows; null when none.</param>
/// <param name="NewTable">REFERENCING NEW TABLE AS: the transition table of the new rows; null when none.</param>
/// <param name="Constraint">CREATE CONSTRAINT TRIGGER: may be deferred to the end of the transaction.</param>
/// <param name="From">FROM: the table a constraint trigger's constraint references; null when none.</param>
/// <param name="Reads">What WHEN and UPDATE OF read, and the function, as PostgreSQL recorded it (not part of equality).</param>
public sealed record Trigger(
    string Name,
    TriggerTiming Timing,
    ValueList<TriggerEvent> Events,
    QualifiedName Function,
    bool ForEachRow = false,
    ValueList<string> UpdateOf = default,
    string? When = null,
    ValueList<string> Arguments = default,
    string? OldTable = null,
    string? NewTable = null,
    bool Constraint = false,
    bool Deferrable = false,
    bool InitiallyDeferred = false,
    QualifiedName? From = null,
    TriggerEnabled Enabled = TriggerEnabled.Origin,
    string? Comment = null,
    ExpressionReads Reads = default)
{
    /// <summary>
    /// Canonical form: events each once in PostgreSQL's order, UPDATE OF columns each once in their declared order (which
    /// PostgreSQL keeps and prints, though it does not change when the trigger fires).
    /// </summary>
    public Trigger Normalize() => this with
    {
        Events = Events.Distinct().Order().ToValueList(),
        UpdateOf = UpdateOf.Distinct(StringComparer.Ordinal).ToValueList(),
    };

    /// <summary>The function's key among the model's routines (<see cref="Model.Function.Key"/>): a trigger function takes no arguments.</summary>
    public QualifiedName FunctionKey => new(Function.Schema, Function.Name + "()");

    public bool FiresOn(TriggerEvent triggerEvent) => Events.Contains(triggerEvent);
}

/// <summary>The triggers of a model's tables and views, beside the relations they belong to.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The triggers, one record per table or view that has any, by relation name once normalised.</summary>
    public ValueList<RelationTriggers> Triggers { get; init; }

    public RelationTriggers? FindTriggers(QualifiedName relation) => Triggers.FirstOrDefault(t => t.RelationName == relation);

    // After the policies: pull's summary lists the triggers with what else belongs to tables.
    internal static readonly RelationTriggersKind TriggersKind = Register(new RelationTriggersKind());

    internal sealed class RelationTriggersKind() : ModelKind<RelationTriggers>(66, "triggers", "trigger", "triggers")
    {
        public override bool IsTableBound => true;

        protected override ValueList<RelationTriggers> Items(DatabaseModel model) => model.Triggers;

        protected override DatabaseModel With(DatabaseModel model, ValueList<RelationTriggers> items) => model with { Triggers = items };

        protected override QualifiedName NameOf(RelationTriggers item) => item.RelationName;

        protected override int CountIn(DatabaseModel model) => model.Triggers.Sum(t => t.Triggers.Count);

        protected override RelationTriggers Normalize(RelationTriggers item) => item.Normalize();

        protected override bool KnowsReads(RelationTriggers item) => item.Triggers.Any(t => t.Reads.IsKnown);

        protected override RelationTriggers WithReads(RelationTriggers target, RelationTriggers source) => target with
        {
            Triggers = target.Triggers
                .Select(t => source.Find(t.Name) is { } from ? t with { Reads = ModelReads.Keep(t.Reads, from.Reads) } : t)
                .ToValueList(),
        };

        public override DatabaseModel InRelations(DatabaseModel model, Func<QualifiedName, bool> includesRelation) =>
            model with { Triggers = model.Triggers.Where(t => includesRelation(t.RelationName)).ToValueList() };
    }
}
