using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// PostgreSQL aggregates in SQL, in one file: CREATE, CREATE OR REPLACE, DROP and COMMENT ON AGGREGATE. The down script
// needs nothing of its own: it is the inverse diff (the down of a CREATE OR REPLACE is the old definition).
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql AggregateSql = Register(new KindSql()
        .Writes<CreateAggregate>(WriteCreateAggregate, c => $"Aggregate {c.Aggregate.Schema}.{c.Aggregate.Signature}")
        .Writes<ReplaceAggregate>((c, output) => output.Add(new SqlStatement(CreateAggregateSql(c.Aggregate, replace: true))),
            c => $"Aggregate {c.Aggregate.Schema}.{c.Aggregate.Signature}")
        .Writes<DropAggregate>((c, output) => output.Add(new SqlStatement($"DROP AGGREGATE {AggregateIdentity(c.Aggregate)};")))
        .Writes<CommentOnAggregate>((c, output) => output.Add(new SqlStatement(AggregateCommentSql(c.Aggregate)))));

    /// <summary>How DROP and COMMENT name an aggregate: its qualified name and arguments (<c>*</c> for none), as printed.</summary>
    private static string AggregateIdentity(Aggregate aggregate) => $"{Quote(aggregate.QualifiedName)}({aggregate.Arguments})";

    private static string CreateAggregateSql(Aggregate aggregate, bool replace) =>
        $"CREATE {(replace ? "OR REPLACE " : "")}AGGREGATE {AggregateIdentity(aggregate)} ({aggregate.Definition});";

    private static string AggregateCommentSql(Aggregate aggregate) =>
        $"COMMENT ON AGGREGATE {AggregateIdentity(aggregate)} IS {CommentLiteral(aggregate.Comment)};";

    private static void WriteCreateAggregate(CreateAggregate change, List<SqlStatement> output)
    {
        output.Add(new SqlStatement(CreateAggregateSql(change.Aggregate, replace: false)));
        if (change.Aggregate.Comment is not null)
            output.Add(new SqlStatement(AggregateCommentSql(change.Aggregate)));
    }
}
