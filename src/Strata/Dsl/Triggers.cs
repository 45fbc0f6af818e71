using System.Text;
using System.Text.RegularExpressions;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// Triggers in the DSL, in one file: a table's t.Trigger(…) and t.UpdatedAt(…), a view's db.Trigger(view, …), the
// builder, the validator's rules for them (what PostgreSQL refuses), and pull's C# for them (the DSL's inverse, in the
// code generator's namespace).
namespace Strata.Dsl
{
    public sealed partial class TableBuilder
    {
        private List<TriggerBuilder>? _triggers;

        /// <summary>
        /// A trigger on the table (CREATE TRIGGER), by default AFTER, FOR EACH STATEMENT: <c>t.Trigger("audit", tr =&gt;
        /// tr.After().OnInsert().OnUpdate("status").ForEachRow().Execute(audit))</c>.
        /// </summary>
        public TableBuilder Trigger(string name, Action<TriggerBuilder> define)
        {
            ArgumentNullException.ThrowIfNull(define);
            var trigger = new TriggerBuilder(Schema, name);
            if (_triggers is null)
            {
                var declared = _triggers = [];
                AddToModel(model => model.WithTriggers(Schema, Name, declared.Select(t => t.Build())));
            }
            _triggers.Add(trigger);
            define(trigger);
            return this;
        }

        /// <summary>
        /// Keeps <paramref name="column"/> at the time of the last update: a BEFORE UPDATE FOR EACH ROW trigger
        /// <c>set_{column}</c> that sets it to now(), through the schema's one shared function
        /// <c>strata_set_updated_at()</c> (declared once however many tables use it; the column is its argument).
        /// </summary>
        public TableBuilder UpdatedAt(string column = "updated_at")
        {
            AddToModel(model => UpdatedAtFunction.AddTo(model, Schema));
            return Trigger(UpdatedAtFunction.TriggerName(column),
                tr => tr.Before().OnUpdate().ForEachRow().Execute(new FunctionReference(Schema, UpdatedAtFunction.Name), column));
        }
    }

    public partial class SchemaScope
    {
        /// <summary>
        /// A trigger on a view (or a table) of this schema declared apart from it, as pull writes a view's:
        /// <c>db.Trigger("doc_titles", "edit", tr =&gt; tr.InsteadOf().OnUpdate().ForEachRow().Execute(edit))</c>.
        /// </summary>
        public SchemaScope Trigger(string relation, string name, Action<TriggerBuilder> define)
        {
            ArgumentNullException.ThrowIfNull(define);
            var trigger = new TriggerBuilder(Name, name);
            define(trigger);
            AddToModel(model => model.WithTriggers(Name, relation, [trigger.Build()]));
            return this;
        }
    }

    /// <summary>The one function behind <see cref="TableBuilder.UpdatedAt"/>, per schema.</summary>
    public static class UpdatedAtFunction
    {
        public const string Name = "strata_set_updated_at";

        /// <summary>Sets the column named by the trigger's first argument to now(), whatever its name.</summary>
        public const string Body = """

            BEGIN
                NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
                RETURN NEW;
            END

            """;

        public static string TriggerName(string column) => "set_" + column;

        /// <summary>The function in <paramref name="schema"/>, unless the model declares one of its name already.</summary>
        internal static DatabaseModel AddTo(DatabaseModel model, string schema) =>
            model.Functions.Any(f => f.Schema == schema && f.Name == Name && f.Arguments.Count == 0) ? model : model with
            {
                Functions = model.Functions.Append(new Function(schema, Name, [], Types.Raw("trigger"), "plpgsql", Body.Replace("\r\n", "\n", StringComparison.Ordinal))).ToValueList(),
            };
    }

    /// <summary>When a trigger fires and what it runs; each method returns the builder, to chain them.</summary>
    public sealed class TriggerBuilder
    {
        private readonly string _schema;
        private readonly string _name;
        private readonly List<TriggerEvent> _events = [];
        private readonly List<string> _updateOf = [];
        private TriggerTiming _timing = TriggerTiming.After;
        private bool _forEachRow;
        private string? _when;
        private QualifiedName? _function;
        private string[] _arguments = [];
        private string? _oldTable;
        private string? _newTable;
        private bool _constraint;
        private bool _deferrable;
        private bool _initiallyDeferred;
        private QualifiedName? _from;
        private TriggerEnabled _enabled;
        private string? _comment;

        internal TriggerBuilder(string schema, string name) => (_schema, _name) = (schema, name);

        /// <summary>BEFORE the statement or row (a row trigger may change or skip the row).</summary>
        public TriggerBuilder Before() => Timing(TriggerTiming.Before);

        /// <summary>AFTER the statement or row (the default).</summary>
        public TriggerBuilder After() => Timing(TriggerTiming.After);

        /// <summary>INSTEAD OF the statement's work on a view's row.</summary>
        public TriggerBuilder InsteadOf() => Timing(TriggerTiming.InsteadOf);

        public TriggerBuilder OnInsert() => On(TriggerEvent.Insert);

        /// <summary>UPDATE, or with <paramref name="columns"/> UPDATE OF those columns only.</summary>
        public TriggerBuilder OnUpdate(params string[] columns)
        {
            _updateOf.AddRange(columns);
            return On(TriggerEvent.Update);
        }

        public TriggerBuilder OnDelete() => On(TriggerEvent.Delete);

        public TriggerBuilder OnTruncate() => On(TriggerEvent.Truncate);

        /// <summary>FOR EACH ROW: once per row changed.</summary>
        public TriggerBuilder ForEachRow()
        {
            _forEachRow = true;
            return this;
        }

        /// <summary>FOR EACH STATEMENT: once per statement (the default).</summary>
        public TriggerBuilder ForEachStatement()
        {
            _forEachRow = false;
            return this;
        }

        /// <summary>WHEN: a boolean SQL condition (a row trigger's may read OLD and NEW).</summary>
        public TriggerBuilder When(string condition)
        {
            _when = condition;
            return this;
        }

        /// <summary>EXECUTE FUNCTION: the trigger function and the strings it gets in TG_ARGV.</summary>
        public TriggerBuilder Execute(FunctionReference function, params string[] arguments)
        {
            ArgumentNullException.ThrowIfNull(function);
            _function = new QualifiedName(function.Schema, function.Name);
            _arguments = arguments;
            return this;
        }

        /// <summary>EXECUTE FUNCTION by name (<c>"audit.log_change"</c>; without a schema, the table's).</summary>
        public TriggerBuilder Execute(string function, params string[] arguments)
        {
            _function = function.Contains('.', StringComparison.Ordinal) ? QualifiedName.Parse(function) : new QualifiedName(_schema, function);
            _arguments = arguments;
            return this;
        }

        /// <summary>REFERENCING OLD TABLE AS <paramref name="name"/>: the old rows, for an AFTER UPDATE or DELETE trigger.</summary>
        public TriggerBuilder ReferencingOldTable(string name)
        {
            _oldTable = name;
            return this;
        }

        /// <summary>REFERENCING NEW TABLE AS <paramref name="name"/>: the new rows, for an AFTER INSERT or UPDATE trigger.</summary>
        public TriggerBuilder ReferencingNewTable(string name)
        {
            _newTable = name;
            return this;
        }

        /// <summary>
        /// CREATE CONSTRAINT TRIGGER (AFTER, FOR EACH ROW): <paramref name="deferrable"/> lets SET CONSTRAINTS defer it to
        /// the end of the transaction, <paramref name="initiallyDeferred"/> defers it from the start.
        /// </summary>
        public TriggerBuilder Constraint(bool deferrable = false, bool initiallyDeferred = false)
        {
            (_constraint, _deferrable, _initiallyDeferred) = (true, deferrable || initiallyDeferred, initiallyDeferred);
            return this;
        }

        /// <summary>FROM: the table a constraint trigger's constraint refers to (<c>"billing.orders"</c>; without a schema, the table's).</summary>
        public TriggerBuilder From(string table)
        {
            _from = table.Contains('.', StringComparison.Ordinal) ? QualifiedName.Parse(table) : new QualifiedName(_schema, table);
            return this;
        }

        /// <summary>ALTER TABLE … DISABLE TRIGGER: declared, but does not fire.</summary>
        public TriggerBuilder Disabled() => Enabled(TriggerEnabled.Disabled);

        /// <summary>When it fires against session_replication_role: ENABLE (Origin, the default), REPLICA or ALWAYS.</summary>
        public TriggerBuilder Enabled(TriggerEnabled state)
        {
            _enabled = state;
            return this;
        }

        public TriggerBuilder Comment(string comment)
        {
            _comment = comment;
            return this;
        }

        private TriggerBuilder Timing(TriggerTiming timing)
        {
            _timing = timing;
            return this;
        }

        private TriggerBuilder On(TriggerEvent triggerEvent)
        {
            _events.Add(triggerEvent);
            return this;
        }

        internal Trigger Build() => new(_name, _timing, _events.ToValueList(), _function ?? new QualifiedName(_schema, ""), _forEachRow,
            _updateOf.ToValueList(), _when, _arguments.ToValueList(), _oldTable, _newTable, _constraint, _deferrable, _initiallyDeferred,
            _from, _enabled, _comment);
    }

    internal static partial class SchemaValidator
    {
        // After the policies: a trigger's function is a routine the model may declare.
        internal static readonly KindRules TriggerRules = Register(new(Order: 46, static (model, _, add) => ValidateTriggers(model, add)));

        private static void ValidateTriggers(DatabaseModel model, Action<string, string> add)
        {
            var seen = new HashSet<QualifiedName>();
            foreach (var relation in model.Triggers)
            {
                var where = relation.RelationName.ToString();
                var table = model.FindTable(relation.RelationName);
                var view = model.FindView(relation.RelationName);
                if (table is null && view is null)
                    add(where, "has triggers but no such table or view is declared; declare the table with db.Table(…) or the view with db.View(…)");
                if (view is { Materialized: true })
                    add(where, "is a materialized view, which PostgreSQL gives no triggers; use a table or a plain view");
                if (!seen.Add(relation.RelationName))
                    add(where, "triggers are declared twice for this relation");
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var trigger in relation.Triggers)
                {
                    CheckName(where, "trigger", trigger.Name, add);
                    if (!names.Add(trigger.Name))
                        add(where, $"trigger \"{trigger.Name}\" is declared twice; a table's triggers need different names");
                    ValidateTrigger(model, trigger, table, view is not null, $"{where} trigger {trigger.Name}", add);
                }
            }
        }

        private static void ValidateTrigger(DatabaseModel model, Trigger trigger, Table? table, bool onView, string where, Action<string, string> add)
        {
            if (trigger.Events.Count == 0)
                add(where, "fires on no event; add OnInsert(), OnUpdate(), OnDelete() or OnTruncate()");
            if (trigger.Function.Name.Length == 0)
                add(where, "runs no function; add Execute(function)");
            else if (model.Functions.FirstOrDefault(f => f.QualifiedName == trigger.Function && f.Kind == RoutineKind.Function) is { } function
                && (function.Arguments.Any(a => a.IsInput) || function.Returns is not { Kind: TypeKind.Raw, RawName: "trigger" }))
                add(where, $"runs {trigger.Function}, which is not a trigger function; a trigger's function takes no arguments and Returns(Types.Raw(\"trigger\")) (pass values as Execute(function, \"argument\"))");
            var row = trigger.ForEachRow;
            if (trigger.Timing == TriggerTiming.InsteadOf)
            {
                if (!onView)
                    add(where, "is INSTEAD OF on a table; PostgreSQL allows INSTEAD OF triggers on views only: use Before() or After()");
                if (!row)
                    add(where, "is INSTEAD OF for each statement; INSTEAD OF triggers are FOR EACH ROW: add ForEachRow()");
                if (trigger.When is not null)
                    add(where, "is INSTEAD OF with WHEN; PostgreSQL refuses a WHEN condition on an INSTEAD OF trigger: test it in the function");
                if (trigger.UpdateOf.Count > 0)
                    add(where, "is INSTEAD OF UPDATE OF columns; PostgreSQL refuses a column list on an INSTEAD OF trigger: use OnUpdate()");
            }
            else if (onView && row)
                add(where, "is a row-level BEFORE or AFTER trigger on a view; a view's BEFORE and AFTER triggers are FOR EACH STATEMENT (use InsteadOf() for rows)");
            if (trigger.FiresOn(TriggerEvent.Truncate) && row)
                add(where, "fires on TRUNCATE for each row; TRUNCATE triggers are FOR EACH STATEMENT");
            if (trigger.UpdateOf.Count > 0 && !trigger.FiresOn(TriggerEvent.Update))
                add(where, "lists UPDATE OF columns without firing on UPDATE");
            foreach (var column in trigger.UpdateOf)
            {
                if (table is not null && table.FindColumn(column) is null)
                    add(where, $"UPDATE OF column {column}: the table has no such column");
            }
            if (trigger.When is { } when)
            {
                if (string.IsNullOrWhiteSpace(when))
                    add(where, "the WHEN condition is empty");
                else if (!row && OldOrNew().IsMatch(when))
                    add(where, "reads OLD or NEW in WHEN for each statement; only a FOR EACH ROW trigger's WHEN sees the row");
                else if (trigger.Events.Count == 1 && trigger.FiresOn(TriggerEvent.Insert) && OldOrNew().Matches(when).Any(m => m.Groups[1].Value.Equals("old", StringComparison.OrdinalIgnoreCase)))
                    add(where, "reads OLD in the WHEN of an INSERT trigger; an inserted row has no old values");
                else if (trigger.Events.Count == 1 && trigger.FiresOn(TriggerEvent.Delete) && OldOrNew().Matches(when).Any(m => m.Groups[1].Value.Equals("new", StringComparison.OrdinalIgnoreCase)))
                    add(where, "reads NEW in the WHEN of a DELETE trigger; a deleted row has no new values");
            }
            ValidateConstraintTrigger(trigger, onView, where, add);
            ValidateTransitionTables(trigger, onView, where, add);
            foreach (var argument in trigger.Arguments)
            {
                if (argument.Contains('\0', StringComparison.Ordinal))
                    add(where, "an argument holds a NUL character, which PostgreSQL cannot store in a trigger's arguments");
            }
            if (trigger.Comment is { Length: 0 })
                add(where, "the comment is empty; remove Comment(\"\")");
        }

        private static void ValidateConstraintTrigger(Trigger trigger, bool onView, string where, Action<string, string> add)
        {
            if (!trigger.Constraint)
            {
                if (trigger.Deferrable || trigger.InitiallyDeferred)
                    add(where, "is deferrable but not a constraint trigger; only Constraint(deferrable: true) triggers can be deferred");
                if (trigger.From is not null)
                    add(where, "names a FROM table but is not a constraint trigger; add Constraint()");
                return;
            }
            if (trigger.Timing != TriggerTiming.After || !trigger.ForEachRow)
                add(where, "is a constraint trigger that is not AFTER … FOR EACH ROW; PostgreSQL allows constraint triggers only AFTER, for each row");
            if (onView)
                add(where, "is a constraint trigger on a view; constraint triggers are for tables only");
            if (trigger.InitiallyDeferred && !trigger.Deferrable)
                add(where, "is INITIALLY DEFERRED but not DEFERRABLE; use Constraint(deferrable: true, initiallyDeferred: true)");
        }

        private static void ValidateTransitionTables(Trigger trigger, bool onView, string where, Action<string, string> add)
        {
            if (trigger.OldTable is null && trigger.NewTable is null)
                return;
            if (trigger.Timing != TriggerTiming.After)
                add(where, "names a transition table but is not AFTER; transition tables (REFERENCING) are for AFTER triggers only");
            if (onView)
                add(where, "names a transition table on a view; transition tables are for tables only");
            if (trigger.Constraint)
                add(where, "is a constraint trigger with a transition table; PostgreSQL refuses REFERENCING on constraint triggers");
            if (trigger.FiresOn(TriggerEvent.Truncate))
                add(where, "fires on TRUNCATE with a transition table; TRUNCATE triggers cannot have transition tables");
            if (trigger.Events.Count > 1)
                add(where, "fires on more than one event with a transition table; PostgreSQL refuses that: declare one trigger per event");
            if (trigger.UpdateOf.Count > 0)
                add(where, "lists UPDATE OF columns with a transition table; PostgreSQL refuses transition tables with column lists: use OnUpdate()");
            if (trigger.OldTable is not null && !trigger.FiresOn(TriggerEvent.Update) && !trigger.FiresOn(TriggerEvent.Delete))
                add(where, "names an OLD TABLE without firing on UPDATE or DELETE; only those have old rows");
            if (trigger.NewTable is not null && !trigger.FiresOn(TriggerEvent.Insert) && !trigger.FiresOn(TriggerEvent.Update))
                add(where, "names a NEW TABLE without firing on INSERT or UPDATE; only those have new rows");
            if (trigger.OldTable is not null && trigger.OldTable == trigger.NewTable)
                add(where, "gives the OLD TABLE and the NEW TABLE the same name");
            foreach (var name in new[] { trigger.OldTable, trigger.NewTable })
            {
                if (name is { Length: 0 })
                    add(where, "a transition table name is empty");
            }
        }

        // OLD.x or NEW.x (or "OLD".x): the row values a WHEN condition reads.
        [GeneratedRegex("(?<![A-Za-z0-9_$\"])\"?(old|new)\"?\\s*\\.", RegexOptions.IgnoreCase)]
        private static partial Regex OldOrNew();
    }
}

namespace Strata.Model
{
    public sealed partial record DatabaseModel
    {
        /// <summary>The model with <paramref name="triggers"/> added to those of the relation (a DSL declaration's part).</summary>
        internal DatabaseModel WithTriggers(string schema, string relation, IEnumerable<Trigger> triggers)
        {
            var name = new QualifiedName(schema, relation);
            var existing = FindTriggers(name);
            var merged = new RelationTriggers(schema, relation, (existing?.Triggers ?? []).Concat(triggers).ToValueList());
            return this with
            {
                Triggers = existing is null ? Triggers.Append(merged).ToValueList() : Triggers.Select(t => t == existing ? merged : t).ToValueList(),
            };
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        // After the policies; a view's triggers are declared apart from it (db.Trigger), with the other one-line declarations.
        internal static readonly KindCode TriggerCalls = Register(new(Order: 46,
            static (model, schema) => model.Triggers.Where(r => r.Schema == schema && model.FindTable(r.RelationName) is null)
                .SelectMany(r => r.Triggers.Select(t => $"{Statement}db.Trigger({String(r.Relation)}, {String(t.Name)}, tr => tr{TriggerCode(r.Schema, t)});\n")),
            static (model, table) => model.FindTriggers(table.QualifiedName) is { } triggers
                ? triggers.Triggers.Select(t => $"t.Trigger({String(t.Name)}, tr => tr{TriggerCode(table.Schema, t)})")
                : [],
            ["TriggerEnabled."]));

        private static string TriggerCode(string schema, Trigger trigger)
        {
            var code = new StringBuilder();
            code.Append(trigger.Timing switch { TriggerTiming.Before => ".Before()", TriggerTiming.InsteadOf => ".InsteadOf()", _ => ".After()" });
            foreach (var triggerEvent in trigger.Events)
            {
                code.Append(triggerEvent == TriggerEvent.Update && trigger.UpdateOf.Count > 0
                    ? $".OnUpdate({string.Join(", ", trigger.UpdateOf.Select(c => String(c)))})"
                    : $".On{triggerEvent}()");
            }
            if (trigger.ForEachRow)
                code.Append(".ForEachRow()");
            if (trigger.When is { } when)
                code.Append($".When({String(when)})");
            if (trigger.OldTable is { } oldTable)
                code.Append($".ReferencingOldTable({String(oldTable)})");
            if (trigger.NewTable is { } newTable)
                code.Append($".ReferencingNewTable({String(newTable)})");
            if (trigger.Constraint)
            {
                code.Append((trigger.Deferrable, trigger.InitiallyDeferred) switch
                {
                    (_, true) => ".Constraint(deferrable: true, initiallyDeferred: true)",
                    (true, false) => ".Constraint(deferrable: true)",
                    _ => ".Constraint()",
                });
            }
            if (trigger.From is { } from)
                code.Append($".From({String(from.Schema == schema && !from.Name.Contains('.', StringComparison.Ordinal) ? from.Name : from.ToString())})");
            var function = trigger.Function.Schema == schema && !trigger.Function.Name.Contains('.', StringComparison.Ordinal)
                ? trigger.Function.Name : trigger.Function.ToString();
            code.Append($".Execute({string.Join(", ", trigger.Arguments.Select(a => String(a)).Prepend(String(function)))})");
            if (trigger.Enabled == TriggerEnabled.Disabled)
                code.Append(".Disabled()");
            else if (trigger.Enabled != TriggerEnabled.Origin)
                code.Append($".Enabled(TriggerEnabled.{trigger.Enabled})");
            if (trigger.Comment is { } comment)
                code.Append($".Comment({String(comment)})");
            return code.ToString();
        }
    }
}
