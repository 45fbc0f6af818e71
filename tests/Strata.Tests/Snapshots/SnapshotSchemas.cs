using Strata.Diffing;
using Strata.Model;

namespace Strata.Tests.Snapshots;

/// <summary>Schemas for the snapshot tests, built as model records so that every field is set at least once.</summary>
internal static class SnapshotSchemas
{
    public static ValueList<T> L<T>(params T[] items) => items;

    public static DatabaseModel EveryFeature() => new(
        Schemas: L("billing", "audit"),
        Enums: L(
            new EnumType("public", "mood", L("sad", "ok", "happy"), Comment: "how it feels"),
            new EnumType("billing", "state", L("open", "paid"))),
        Sequences: L(
            new Sequence("billing", "invoice_numbers", new SequenceOptions("bigint", 1000, 5, 1, long.MaxValue, 20, Cycle: true), "numbers"),
            new Sequence("public", "plain_counter", SequenceOptions.Default)),
        Tables: L(
            new Table("public", "users",
                L(
                    new Column("id", new ColumnType(TypeKind.BigInt), NotNull: true,
                        Identity: new Identity(IdentityGeneration.ByDefault, new SequenceOptions(StartWith: 0, IncrementBy: -1, MinValue: long.MinValue, Cache: 1))),
                    new Column("email", new ColumnType(TypeKind.Varchar, Length: 320), NotNull: true, Comment: "login, \"unique\" 'always'"),
                    new Column("mood", new ColumnType(TypeKind.Enum, EnumName: new QualifiedName("public", "mood")), Default: "'ok'::mood",
                        Reads: new ExpressionReads([new ReadObject(ReadKind.Type, new QualifiedName("public", "mood"))])),
                    new Column("balance", new ColumnType(TypeKind.Numeric, Precision: 12, Scale: 2), NotNull: true, Default: "0"),
                    new Column("tags", new ColumnType(TypeKind.Text, ArrayDimensions: 2)),
                    new Column("seen_at", new ColumnType(TypeKind.TimestampTz, Precision: 3), Default: "now()", Reads: ExpressionReads.Nothing),
                    new Column("email_lower", new ColumnType(TypeKind.Text), GeneratedAs: "lower(email)",
                        Reads: new ExpressionReads([ReadObject.OfColumn(new QualifiedName("public", "users"), "email")])),
                    new Column("search", new ColumnType(TypeKind.Raw, RawName: "tsvector")),
                    new Column("Größe ☃", new ColumnType(TypeKind.DoublePrecision))),
                PrimaryKey: new PrimaryKey("users_pkey", L("id")),
                Uniques: L(new UniqueConstraint("users_email_key", L("email"), NullsNotDistinct: true), new UniqueConstraint("a_first", L("mood", "email"))),
                Checks: L(new CheckConstraint("balance_positive", "balance >= 0",
                    new ExpressionReads([ReadObject.OfColumn(new QualifiedName("public", "users"), "balance")]))),
                Indexes: L(
                    new Model.Index("users_search_idx", L(IndexElement.OnColumn("search")), Method: "gin"),
                    new Model.Index("users_lower_email_idx",
                        L(
                            IndexElement.OnExpression("lower(email)") with { OperatorClass = "text_pattern_ops" },
                            new IndexElement("seen_at", Direction: SortDirection.Descending, Nulls: NullsOrder.Last),
                            new IndexElement("mood", Nulls: NullsOrder.First)),
                        Unique: true, Include: L("balance"), Where: "seen_at IS NOT NULL", NullsNotDistinct: true, Concurrently: true,
                        Reads: new ExpressionReads([ReadObject.OfColumn(new QualifiedName("public", "users"), "email"), ReadObject.OfColumn(new QualifiedName("public", "users"), "seen_at")]))),
                Comment: "people"),
            new Table("billing", "invoices",
                L(
                    new Column("id", new ColumnType(TypeKind.Uuid), NotNull: true, Default: "gen_random_uuid()"),
                    new Column("number", new ColumnType(TypeKind.BigSerial), NotNull: true),
                    new Column("user_id", new ColumnType(TypeKind.BigInt), NotNull: true),
                    new Column("state", new ColumnType(TypeKind.Enum, EnumName: new QualifiedName("billing", "state"), ArrayDimensions: 1)),
                    new Column("created_at", new ColumnType(TypeKind.Timestamp)),
                    new Column("serial_no", new ColumnType(TypeKind.Integer), NotNull: true, Identity: Identity.Always)),
                PrimaryKey: new PrimaryKey("invoices_pkey", L("id", "number")),
                ForeignKeys: L(
                    new ForeignKey("invoices_user_id_fkey", L("user_id"), new QualifiedName("public", "users"), L("id"),
                        OnDelete: ReferentialAction.Cascade, OnUpdate: ReferentialAction.SetNull, Deferrable: true, InitiallyDeferred: true),
                    new ForeignKey("invoices_other_fkey", L("user_id"), new QualifiedName("public", "users"), L("id"),
                        OnDelete: ReferentialAction.Restrict, OnUpdate: ReferentialAction.SetDefault))),
            new Table("audit", "every_type", Enum.GetValues<TypeKind>().Select(EveryTypeColumn).ToValueList())),
        Views: L(
            new View("public", "active_users", "SELECT id, email FROM users WHERE mood <> 'sad'",
                DependsOn: L(new QualifiedName("public", "users")), Comment: "who is active",
                Reads: new ExpressionReads([
                    ReadObject.OfColumn(new QualifiedName("public", "users"), "id"), ReadObject.OfColumn(new QualifiedName("public", "users"), "email"),
                    ReadObject.OfColumn(new QualifiedName("public", "users"), "mood"), new ReadObject(ReadKind.Type, new QualifiedName("public", "mood")),
                    new ReadObject(ReadKind.Function, new QualifiedName("public", "f"))])),
            new View("billing", "totals", "SELECT user_id, count(*) FROM billing.invoices GROUP BY user_id", Materialized: true,
                DependsOn: L(new QualifiedName("billing", "invoices"), new QualifiedName("public", "active_users")),
                Indexes: L(
                    new Model.Index("totals_user_id_idx", L(IndexElement.OnColumn("user_id")), Unique: true),
                    new Model.Index("totals_expr_idx", L(IndexElement.OnExpression("abs(count)") with { Direction = SortDirection.Descending }),
                        Where: "count > 1", Concurrently: true)))))
    {
        Domains = L(
            new Domain("public", "email", new ColumnType(TypeKind.Text), NotNull: true, Default: "'nobody@example.com'",
                Checks: L(new CheckConstraint("email_check", "VALUE ~ '@'"), new CheckConstraint("email_short", "length(VALUE) < 320")),
                Collation: "C", Comment: "an address"),
            new Domain("billing", "states", new ColumnType(TypeKind.Enum, EnumName: new QualifiedName("billing", "state"), ArrayDimensions: 1))),
        Composites = L(
            new CompositeType("public", "address", L(new CompositeField("street", new ColumnType(TypeKind.Text), "C"),
                new CompositeField("states", new ColumnType(TypeKind.Domain, DomainName: new QualifiedName("billing", "states")))), "where"),
            new CompositeType("billing", "empty", L<CompositeField>())),
        Extensions = L(new Extension("citext"), new Extension("hstore", "billing", "1.7", "pairs")),
    };

    public static ValueList<Rename> EveryRenameKind() =>
        ObjectKind.All.Select(k => new Rename(k, "old_" + k, "new_" + k)).ToValueList();

    private static Column EveryTypeColumn(TypeKind kind) => new("c_" + kind.ToString().ToLowerInvariant(), kind switch
    {
        TypeKind.Enum => new ColumnType(kind, EnumName: new QualifiedName("public", "mood")),
        TypeKind.Domain => new ColumnType(kind, DomainName: new QualifiedName("public", "email")),
        TypeKind.Composite => new ColumnType(kind, CompositeName: new QualifiedName("public", "address")),
        TypeKind.Raw => new ColumnType(kind, RawName: "geometry(Point,4326)"),
        TypeKind.Varchar or TypeKind.Char => new ColumnType(kind, Length: 7),
        TypeKind.Time or TypeKind.TimeTz or TypeKind.Interval => new ColumnType(kind, Precision: 0),
        _ => new ColumnType(kind),
    });
}
