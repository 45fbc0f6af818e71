using System.Text.Json;
using Strata.Model;

// Triggers in snapshot.json, in one file: the record of a relation's triggers (the top-level "triggers" list), the
// reader's fields for them, and the mappings both ways, as partial parts of the snapshot's central types, each
// registered once (see KindRegistry). A model without triggers has no "triggers" key; every default is absent.
namespace Strata.Snapshots;

internal sealed record RelationTriggersDocument
{
    public string? Relation { get; set; }

    public string? Schema { get; set; }

    public List<TriggerDocument?>? Triggers { get; set; }
}

internal sealed record TriggerDocument
{
    public List<string?>? Arguments { get; set; }

    public string? Comment { get; set; }

    /// <summary>Set for a CREATE CONSTRAINT TRIGGER.</summary>
    public Flag? Constraint { get; set; }

    public Flag? Deferrable { get; set; }

    /// <summary>origin (absent), disabled, replica or always.</summary>
    public string? Enabled { get; set; }

    /// <summary>insert, update, delete, truncate.</summary>
    public List<string?>? Events { get; set; }

    public Flag? ForEachRow { get; set; }

    public QualifiedNameDocument? From { get; set; }

    public QualifiedNameDocument? Function { get; set; }

    public Flag? InitiallyDeferred { get; set; }

    public string? Name { get; set; }

    public string? NewTable { get; set; }

    public string? OldTable { get; set; }

    /// <summary>What WHEN and UPDATE OF read (<see cref="ReadDocument"/>); absent when not known.</summary>
    public List<ReadDocument?>? Reads { get; set; }

    /// <summary>before, after or insteadOf.</summary>
    public string? Timing { get; set; }

    public List<string?>? UpdateOf { get; set; }

    public string? When { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<RelationTriggersDocument?>? Triggers { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<RelationTriggersDocument?>? Triggers { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields TriggerFields = Register(new(Order: 46,
        [
            Field<SnapshotDocument>("triggers", (ref Utf8JsonReader r, SnapshotDocument d) => d.Triggers = Objects(ref r, RelationTriggersShape)),
        ],
        static () => new() { [typeof(RelationTriggersDocument)] = RelationTriggersShape.Names, [typeof(TriggerDocument)] = TriggerShape.Names }));

    private static Shape<RelationTriggersDocument>? _relationTriggersShape;

    private static Shape<RelationTriggersDocument> RelationTriggersShape => _relationTriggersShape ??= new(() => new(),
        ("relation", (ref Utf8JsonReader r, RelationTriggersDocument d) => d.Relation = String(ref r)),
        ("schema", (ref Utf8JsonReader r, RelationTriggersDocument d) => d.Schema = String(ref r)),
        ("triggers", (ref Utf8JsonReader r, RelationTriggersDocument d) => d.Triggers = Objects(ref r, TriggerShape)));

    private static Shape<TriggerDocument>? _triggerShape;

    private static Shape<TriggerDocument> TriggerShape => _triggerShape ??= new(() => new(),
        ("arguments", (ref Utf8JsonReader r, TriggerDocument d) => d.Arguments = Strings(ref r)),
        ("comment", (ref Utf8JsonReader r, TriggerDocument d) => d.Comment = String(ref r)),
        ("constraint", (ref Utf8JsonReader r, TriggerDocument d) => d.Constraint = Flag(ref r)),
        ("deferrable", (ref Utf8JsonReader r, TriggerDocument d) => d.Deferrable = Flag(ref r)),
        ("enabled", (ref Utf8JsonReader r, TriggerDocument d) => d.Enabled = String(ref r)),
        ("events", (ref Utf8JsonReader r, TriggerDocument d) => d.Events = Strings(ref r)),
        ("forEachRow", (ref Utf8JsonReader r, TriggerDocument d) => d.ForEachRow = Flag(ref r)),
        ("from", (ref Utf8JsonReader r, TriggerDocument d) => d.From = Object(ref r, QualifiedNameShape)),
        ("function", (ref Utf8JsonReader r, TriggerDocument d) => d.Function = Object(ref r, QualifiedNameShape)),
        ("initiallyDeferred", (ref Utf8JsonReader r, TriggerDocument d) => d.InitiallyDeferred = Flag(ref r)),
        ("name", (ref Utf8JsonReader r, TriggerDocument d) => d.Name = String(ref r)),
        ("newTable", (ref Utf8JsonReader r, TriggerDocument d) => d.NewTable = String(ref r)),
        ("oldTable", (ref Utf8JsonReader r, TriggerDocument d) => d.OldTable = String(ref r)),
        ("reads", (ref Utf8JsonReader r, TriggerDocument d) => d.Reads = Objects(ref r, ReadShape)),
        ("timing", (ref Utf8JsonReader r, TriggerDocument d) => d.Timing = String(ref r)),
        ("updateOf", (ref Utf8JsonReader r, TriggerDocument d) => d.UpdateOf = Strings(ref r)),
        ("when", (ref Utf8JsonReader r, TriggerDocument d) => d.When = String(ref r)));
}

internal static partial class SnapshotMapping
{
    private static SnapshotNames.Names<TriggerTiming>? _triggerTimings;
    private static SnapshotNames.Names<TriggerEvent>? _triggerEvents;
    private static SnapshotNames.Names<TriggerEnabled>? _triggerEnabledStates;

    private static SnapshotNames.Names<TriggerTiming> TriggerTimings => _triggerTimings ??= new("trigger timing");

    private static SnapshotNames.Names<TriggerEvent> TriggerEvents => _triggerEvents ??= new("trigger event");

    private static SnapshotNames.Names<TriggerEnabled> TriggerEnabledStates => _triggerEnabledStates ??= new("trigger enabled state");

    // After the policies: a snapshot's triggers are read after its tables, views and functions.
    internal static readonly KindMapping TriggerMapping = Register(new(Order: 46,
        static (model, document) => document.Triggers = Documents(model.Triggers, ToDocument),
        static (document, model) => model with { Triggers = Items(document.Triggers, "triggers", ToRelationTriggers) }));

    private static RelationTriggersDocument ToDocument(RelationTriggers triggers) => new()
    {
        Relation = triggers.Relation,
        Schema = triggers.Schema,
        Triggers = Documents(triggers.Triggers, ToDocument),
    };

    private static TriggerDocument ToDocument(Trigger trigger) => new()
    {
        Arguments = Strings(trigger.Arguments),
        Comment = trigger.Comment,
        Constraint = Flag.Of(trigger.Constraint),
        Deferrable = Flag.Of(trigger.Deferrable),
        Enabled = trigger.Enabled == TriggerEnabled.Origin ? null : TriggerEnabledStates.NameOf(trigger.Enabled),
        Events = trigger.Events.Select(e => (string?)TriggerEvents.NameOf(e)).ToList(),
        ForEachRow = Flag.Of(trigger.ForEachRow),
        From = trigger.From is { } from ? ToDocument(from) : null,
        Function = ToDocument(trigger.Function),
        InitiallyDeferred = Flag.Of(trigger.InitiallyDeferred),
        Name = trigger.Name,
        NewTable = trigger.NewTable,
        OldTable = trigger.OldTable,
        Reads = ToDocuments(trigger.Reads),
        Timing = TriggerTimings.NameOf(trigger.Timing),
        UpdateOf = Strings(trigger.UpdateOf),
        When = trigger.When,
    };

    private static RelationTriggers ToRelationTriggers(RelationTriggersDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Relation, "relation"),
        Items(document.Triggers, "triggers", ToTrigger));

    private static Trigger ToTrigger(TriggerDocument document) => new(
        Required(document.Name, "name"),
        Name(document.Timing, "timing", TriggerTimings),
        Items(document.Events, "events", e => Name(e, "events", TriggerEvents)),
        In(document.Function ?? throw Missing("function", "an object"), "function", ToQualifiedName),
        document.ForEachRow is not null,
        Strings(document.UpdateOf, "updateOf"),
        document.When,
        Strings(document.Arguments, "arguments"),
        document.OldTable,
        document.NewTable,
        document.Constraint is not null,
        document.Deferrable is not null,
        document.InitiallyDeferred is not null,
        document.From is { } from ? In(from, "from", ToQualifiedName) : null,
        OptionalName(document.Enabled, "enabled", TriggerEnabledStates) ?? TriggerEnabled.Origin,
        document.Comment,
        ToReads(document.Reads));
}
