using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Tests.Sql;

namespace Strata.Tests.Kinds;

/// <summary>What the model answers for every kind of object, so that commands and filters do not list the kinds themselves.</summary>
public class DatabaseModelTests
{
    private static DatabaseModel EveryKind() => MigrationSql.Build(db =>
    {
        var sales = db.Schema("sales");
        sales.Extension("citext");
        sales.Composite("pair", c => c.Field("a", Types.Integer));
        sales.Enum("mood", "happy", "sad");
        sales.Collation("nocase", c => c.Provider("icu").Locale("und-u-ks-level2").Deterministic(false));
        sales.Sequence("numbers");
        sales.Domain("email", Types.Text, d => d.Check("VALUE LIKE '%@%'"));
        sales.Function("twice", f => f.Argument("n", Types.Integer).Returns(Types.Integer).Immutable().Body("SELECT n * 2"));
        sales.Aggregate("product(double precision)", "SFUNC = float8mul, STYPE = double precision");
        sales.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("customer", Types.Integer).References("sales.customers", "id");
            t.Column("mail", Types.Domain("sales.email"));
            t.Check("orders_id_check", "id > 0");
            t.Index("customer");
        });
        sales.Table("customers", t => t.Column("id", Types.Integer).PrimaryKey());
        sales.View("recent", "SELECT id FROM sales.orders");
        sales.MaterializedView("totals", "SELECT count(*) AS n FROM sales.orders", v => v.Index("n"));
        db.Role("auditor").Existing();
        sales.Grant(GrantOn.Table("orders"), "auditor", Privilege.Select);
        db.DefaultPrivileges(inSchema: "sales").Grant(GrantTarget.Table, "auditor", Privilege.Select, Privilege.Insert);
    });

    [Fact]
    public void Counts_give_every_kind_in_a_fixed_order_with_its_words()
    {
        var counts = EveryKind().Counts();

        Assert.Equal(
            ["schemas", "extensions", "tables", "columns", "views", "materializedViews", "enums", "collations", "domains", "composites", "functions", "aggregates", "sequences", "indexes", "foreignKeys", "checks", "policies", "exclusionConstraints", "triggers", "roles", "grants", "defaultPrivileges"],
            counts.Select(c => c.Key));
        Assert.Equal([1, 1, 2, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 0, 0, 0, 1, 1, 2], counts.Select(c => c.Value));
        Assert.Equal(new ObjectCount("materializedViews", "materialized view", "materialized views", 1), counts[5]);
        Assert.Equal(new ObjectCount("extensions", "extension", "extensions", 1), counts[1]);
        Assert.All(DatabaseModel.Empty.Counts(), c => Assert.Equal(0, c.Value));
    }

    [Fact]
    public void In_schemas_keeps_the_kept_schemas_and_their_enums_sequences_and_domains_and_leaves_relations_alone()
    {
        var model = EveryKind();
        var other = model with
        {
            Schemas = model.Schemas.Append("audit").ToValueList(),
            Enums = model.Enums.Append(new EnumType("audit", "level", ValueList.Create("low"))).ToValueList(),
            Sequences = model.Sequences.Append(new Sequence("audit", "ids", SequenceOptions.Default)).ToValueList(),
            Domains = model.Domains.Append(new Domain("audit", "code", new ColumnType(TypeKind.Text))).ToValueList(),
        };

        var kept = other.InSchemas(schema => schema == "audit");

        Assert.Equal(["audit"], kept.Schemas);
        Assert.Equal(["audit.level"], kept.Enums.Select(e => e.QualifiedName.ToString()));
        Assert.Equal(["audit.ids"], kept.Sequences.Select(s => s.QualifiedName.ToString()));
        Assert.Equal(["audit.code"], kept.Domains.Select(d => d.QualifiedName.ToString()));
        Assert.Equal(other.Tables, kept.Tables);
        Assert.Equal(other.Views, kept.Views);
        Assert.Equal(other, other.InSchemas(_ => true));
    }

    [Fact]
    public void A_model_with_no_object_schemas_and_no_schemas_is_what_pull_refuses_as_empty()
    {
        Assert.Empty(DatabaseModel.Empty.ObjectSchemas());
        var onlyADomain = DatabaseModel.Empty with { Domains = ValueList.Create(new Domain("public", "code", new ColumnType(TypeKind.Text))) };
        Assert.Equal(["public"], onlyADomain.ObjectSchemas());
        Assert.Equal("extensions, tables, views, enums, collations, domains, composite types, functions, aggregates or sequences", DatabaseModel.SchemaObjectKinds);
    }
}

/// <summary>The facts the planner, the drift view and push read from a type's changes, whatever the kind of type.</summary>
public class TypeChangeTests
{
    private static readonly QualifiedName A = new("public", "a");
    private static readonly QualifiedName B = new("public", "b");

    [Fact]
    public void A_swap_of_two_domains_or_two_enums_goes_through_a_temporary_name_of_the_same_kind()
    {
        var domains = RenameOrder.Sort([new RenameDomain(A, B), new RenameDomain(B, A)]);
        var enums = RenameOrder.Sort([new RenameEnum(A, B), new RenameEnum(B, A)]);

        var temporary = new QualifiedName("public", "a__strata_tmp");
        Assert.Equal([new RenameDomain(A, temporary), new RenameDomain(B, A), new RenameDomain(temporary, B)], domains);
        Assert.Equal([new RenameEnum(A, temporary), new RenameEnum(B, A), new RenameEnum(temporary, B)], enums);
    }

    [Fact]
    public void A_chain_of_type_renames_runs_the_later_link_first()
    {
        var c = new QualifiedName("public", "c");

        var ordered = RenameOrder.Sort([new RenameDomain(A, B), new RenameEnum(B, c)]);

        Assert.Equal([new RenameEnum(B, c), new RenameDomain(A, B)], ordered);
    }

    [Fact]
    public void A_recreated_type_stands_aside_in_the_new_types_schema_and_its_drop_names_it()
    {
        var old = new Domain("billing", "code", new ColumnType(TypeKind.Text));
        var changed = old with { BaseType = new ColumnType(TypeKind.Varchar, Length: 10) };
        var use = new EnumColumnUse(new QualifiedName("billing", "t"), "c", new ColumnType(TypeKind.Domain, DomainName: changed.QualifiedName), null, null);
        ITypeRecreation domain = new RecreateDomain(old, changed, "code__strata_old", ValueList.Create(use));
        ITypeRecreation enumType = new RecreateEnum(new EnumType("billing", "mood", ValueList.Create("a")), new EnumType("billing", "mood", ValueList.Create("b")), "mood__strata_old", [], ValueList.Create("a"));

        Assert.Equal(new QualifiedName("billing", "code__strata_old"), domain.TemporaryType);
        Assert.Equal([use], domain.Columns);
        Assert.Equal(new QualifiedName("billing", "mood__strata_old"), enumType.TemporaryType);
        Assert.Equal(new QualifiedName("billing", "code__strata_old"), ((ITypeDrop)new DropDomain(old with { Name = "code__strata_old" })).Type);
        Assert.Equal(new QualifiedName("billing", "mood"), ((ITypeDrop)new DropEnum(new EnumType("billing", "mood", ValueList.Create("a")))).Type);
    }

    [Fact]
    public void A_comment_target_prints_as_its_kind_and_names_the_keyword_of_comment_on()
    {
        Assert.Equal("MaterializedView", CommentTarget.MaterializedView.ToString());
        Assert.Equal("MATERIALIZED VIEW", CommentTarget.MaterializedView.Keyword);
        Assert.Equal("DOMAIN", CommentTarget.Domain.Keyword);
        Assert.Equal("TYPE", CommentTarget.Enum.Keyword);
        Assert.Equal("Domain", new SetComment(CommentTarget.Domain, A, null, "x").Target.ToString());
    }
}
