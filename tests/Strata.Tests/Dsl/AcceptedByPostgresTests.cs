using Strata.Dsl;
using Strata.Model;
using Strata.Tests.CodeGeneration;
using Strata.Tests.Sql;

namespace Strata.Tests.Dsl;

/// <summary>
/// The validator accepts what PostgreSQL accepts, so that a schema pull writes is never refused by generate:
/// foreign keys between comparable types (PostgreSQL's rule: an equality operator in the referenced index's operator
/// family, or an implicit cast to its type) and tables with no columns.
/// </summary>
public sealed class AcceptedByPostgresTests
{
    private static DatabaseModel ForeignKey(ColumnType referencing, ColumnType referenced, Action<SchemaBuilder>? more = null)
    {
        var db = new SchemaBuilder();
        more?.Invoke(db);
        db.Table("parents", t => t.Column("id", referenced).PrimaryKey());
        db.Table("children", t => t.Column("parent_id", referencing).References("parents", "id"));
        return db.Build();
    }

    public static TheoryData<string, string> ComparableTypes() => new()
    {
        { "smallint", "integer" },
        { "integer", "bigint" },
        { "bigint", "smallint" },
        { "serial", "bigint" },
        { "integer", "numeric" },
        { "smallint", "double precision" },
        { "real", "double precision" },
        { "numeric", "real" },
        { "varchar", "text" },
        { "text", "varchar" },
        { "char", "text" },
        { "text", "char" },
        { "date", "timestamptz" },
        { "timestamptz", "timestamp" },
        { "time", "timetz" },
        { "cidr", "inet" },
        { "inet", "cidr" },
    };

    [Theory]
    [MemberData(nameof(ComparableTypes))]
    public void A_foreign_key_between_comparable_types_is_accepted(string referencing, string referenced)
    {
        var model = ForeignKey(Type(referencing), Type(referenced));

        Assert.Single(model.FindTable(new QualifiedName("public", "children"))!.ForeignKeys);
    }

    public static TheoryData<string, string> IncomparableTypes() => new()
    {
        { "numeric", "integer" },
        { "text", "integer" },
        { "uuid", "text" },
        { "boolean", "integer" },
        { "double precision", "numeric" },
        { "timetz", "time" },
    };

    [Theory]
    [MemberData(nameof(IncomparableTypes))]
    public void A_foreign_key_between_types_PostgreSQL_cannot_compare_is_refused_with_a_remedy(string referencing, string referenced)
    {
        var error = Assert.Single(Assert.Throws<SchemaValidationException>(() => ForeignKey(Type(referencing), Type(referenced))).Errors).ToString();

        Assert.StartsWith($"public.children.parent_id: foreign key \"children_parent_id_fkey\": the column is {Type(referencing)} but public.parents.id is {Type(referenced)}", error);
        Assert.Contains("PostgreSQL needs an equality operator between the two types", error);
    }

    [Fact]
    public void A_foreign_key_between_a_domain_and_its_base_type_is_accepted_both_ways_and_through_a_domain_over_a_domain()
    {
        static void Domains(SchemaBuilder db)
        {
            db.Domain("positive", Types.Integer, d => d.Check("VALUE > 0"));
            db.Domain("small_positive", Types.Domain("positive"));
        }

        Assert.Single(ForeignKey(Types.Domain("positive"), Types.BigInt, Domains).FindTable(new QualifiedName("public", "children"))!.ForeignKeys);
        Assert.Single(ForeignKey(Types.SmallInt, Types.Domain("small_positive"), Domains).FindTable(new QualifiedName("public", "children"))!.ForeignKeys);
        Assert.Throws<SchemaValidationException>(() => ForeignKey(Types.Domain("positive"), Types.Text, Domains));
    }

    [Fact]
    public void Enums_and_arrays_still_need_the_same_type()
    {
        static void Moods(SchemaBuilder db)
        {
            db.Enum("mood", "sad", "ok");
            db.Enum("feeling", "sad", "ok");
        }

        Assert.Throws<SchemaValidationException>(() => ForeignKey(Types.Enum("feeling"), Types.Enum("mood"), Moods));
        Assert.Throws<SchemaValidationException>(() => ForeignKey(Types.ArrayOf(Types.Integer), Types.Integer));
        Assert.Single(ForeignKey(Types.Enum("mood"), Types.Enum("mood"), Moods).FindTable(new QualifiedName("public", "children"))!.ForeignKeys);
    }

    [Fact]
    public void A_foreign_key_on_a_domain_over_an_enum_is_refused_as_PostgreSQL_refuses_it_but_one_over_an_array_of_it_is_not()
    {
        static void Moods(SchemaBuilder db)
        {
            db.Enum("mood", "sad", "ok");
            db.Domain("known_mood", Types.Enum("mood"), d => d.NotNull());
            db.Domain("kept_mood", Types.Domain("known_mood"));
            db.Domain("moods", Types.ArrayOf(Types.Enum("mood")));
        }

        var error = Assert.Single(Assert.Throws<SchemaValidationException>(() => ForeignKey(Types.Domain("known_mood"), Types.Domain("known_mood"), Moods)).Errors).ToString();
        Assert.StartsWith("public.children.parent_id: foreign key \"children_parent_id_fkey\": the column is public.known_mood and public.parents.id is public.known_mood", error);
        Assert.Contains("give the key columns on both sides the enum type itself", error);
        Assert.Throws<SchemaValidationException>(() => ForeignKey(Types.Enum("mood"), Types.Domain("known_mood"), Moods));
        Assert.Throws<SchemaValidationException>(() => ForeignKey(Types.Domain("kept_mood"), Types.Enum("mood"), Moods));
        Assert.Single(ForeignKey(Types.Domain("moods"), Types.Domain("moods"), Moods).FindTable(new QualifiedName("public", "children"))!.ForeignKeys);
    }

    [Fact]
    public void A_table_without_columns_on_purpose_is_accepted_created_and_written_back_by_pull()
    {
        static void Define(SchemaBuilder db)
        {
            db.Table("marker", t => t.WithoutColumns());
            db.Table("never", t => t.WithoutColumns().Check("never_check", "false"));
        }

        var model = MigrationSql.Build(Define);

        Assert.Empty(model.FindTable(new QualifiedName("public", "marker"))!.Columns);
        Assert.Equal("""
            CREATE TABLE "public"."marker" ();
            CREATE TABLE "public"."never" (
                CONSTRAINT "never_check" CHECK (false)
            );
            """, MigrationSql.Create(Define));
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void A_table_left_without_columns_by_mistake_is_refused_naming_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Table("empty", _ => { });

        var error = Assert.Single(Assert.Throws<SchemaValidationException>(db.Build).Errors).ToString();

        Assert.StartsWith("public.empty: the table has no columns", error);
        Assert.Contains("t.WithoutColumns()", error);
    }

    private static ColumnType Type(string name) => name switch
    {
        "smallint" => Types.SmallInt,
        "integer" => Types.Integer,
        "bigint" => Types.BigInt,
        "serial" => Types.Serial,
        "numeric" => Types.Numeric(),
        "real" => Types.Real,
        "double precision" => Types.DoublePrecision,
        "varchar" => Types.Varchar(20),
        "text" => Types.Text,
        "char" => Types.Char(3),
        "date" => Types.Date,
        "timestamp" => Types.Timestamp(),
        "timestamptz" => Types.TimestampTz(),
        "time" => Types.Time(),
        "timetz" => Types.TimeTz(),
        "cidr" => Types.Cidr,
        "inet" => Types.Inet,
        "uuid" => Types.Uuid,
        "boolean" => Types.Boolean,
        _ => throw new ArgumentException(name, nameof(name)),
    };
}
