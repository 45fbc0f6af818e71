using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// Triggers in SQL, in one file: CREATE [CONSTRAINT] TRIGGER, DROP TRIGGER, ALTER TRIGGER … RENAME TO, ALTER TABLE …
// ENABLE / DISABLE TRIGGER and COMMENT ON TRIGGER. down.sql is the inverse diff.
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql TriggerSql = Register(new KindSql()
        .Writes<CreateTrigger>(WriteCreateTrigger, c => $"Trigger {c.Trigger.Name} on {c.Relation}")
        .Writes<DropTrigger>((c, output) => output.Add(new SqlStatement($"DROP TRIGGER {Quote(c.Trigger.Name)} ON {Quote(c.Relation)};")))
        .Writes<RenameTrigger>((c, output) => output.Add(new SqlStatement($"ALTER TRIGGER {Quote(c.From)} ON {Quote(c.Relation)} RENAME TO {Quote(c.To)};")))
        .Writes<SetTriggerEnabled>((c, output) => output.Add(new SqlStatement(TriggerEnabledSql(c.Relation, c.Name, c.Enabled))),
            c => $"Trigger {c.Name} on {c.Relation}")
        .Writes<CommentOnTrigger>((c, output) => output.Add(new SqlStatement(TriggerCommentSql(c.Relation, c.Name, c.Comment)))));

    private static void WriteCreateTrigger(CreateTrigger change, List<SqlStatement> output)
    {
        var trigger = change.Trigger;
        output.Add(new SqlStatement(CreateTriggerSql(change.Relation, trigger)));
        if (trigger.Enabled != TriggerEnabled.Origin)
            output.Add(new SqlStatement(TriggerEnabledSql(change.Relation, trigger.Name, trigger.Enabled)));
        if (trigger.Comment is not null)
            output.Add(new SqlStatement(TriggerCommentSql(change.Relation, trigger.Name, trigger.Comment)));
    }

    /// <summary>CREATE [CONSTRAINT] TRIGGER as PostgreSQL's grammar orders its clauses.</summary>
    internal static string CreateTriggerSql(QualifiedName relation, Trigger trigger)
    {
        var sql = new StringBuilder(trigger.Constraint ? "CREATE CONSTRAINT TRIGGER " : "CREATE TRIGGER ");
        sql.Append(Quote(trigger.Name)).Append(trigger.Timing switch
        {
            TriggerTiming.Before => " BEFORE ",
            TriggerTiming.InsteadOf => " INSTEAD OF ",
            _ => " AFTER ",
        });
        sql.Append(string.Join(" OR ", trigger.Events.Select(e => e == TriggerEvent.Update && trigger.UpdateOf.Count > 0
            ? "UPDATE OF " + string.Join(", ", trigger.UpdateOf.Select(Quote))
            : e.ToString().ToUpperInvariant())));
        sql.Append(" ON ").Append(Quote(relation));
        if (trigger.From is { } from)
            sql.Append(" FROM ").Append(Quote(from));
        if (trigger.Constraint)
            sql.Append(trigger.InitiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : trigger.Deferrable ? " DEFERRABLE" : " NOT DEFERRABLE");
        if (trigger.OldTable is not null || trigger.NewTable is not null)
        {
            sql.Append(" REFERENCING");
            if (trigger.OldTable is { } oldTable)
                sql.Append(" OLD TABLE AS ").Append(Quote(oldTable));
            if (trigger.NewTable is { } newTable)
                sql.Append(" NEW TABLE AS ").Append(Quote(newTable));
        }
        sql.Append(trigger.ForEachRow ? " FOR EACH ROW" : " FOR EACH STATEMENT");
        if (trigger.When is { } when)
            sql.Append(" WHEN (").Append(when).Append(')');
        sql.Append(" EXECUTE FUNCTION ").Append(Quote(trigger.Function))
            .Append('(').Append(string.Join(", ", trigger.Arguments.Select(Literal))).Append(");");
        return sql.ToString();
    }

    private static string TriggerEnabledSql(QualifiedName relation, string name, TriggerEnabled enabled) =>
        $"ALTER TABLE {Quote(relation)} {enabled switch
        {
            TriggerEnabled.Disabled => "DISABLE",
            TriggerEnabled.Replica => "ENABLE REPLICA",
            TriggerEnabled.Always => "ENABLE ALWAYS",
            _ => "ENABLE",
        }} TRIGGER {Quote(name)};";

    private static string TriggerCommentSql(QualifiedName relation, string name, string? comment) =>
        $"COMMENT ON TRIGGER {Quote(name)} ON {Quote(relation)} IS {CommentLiteral(comment)};";
}
