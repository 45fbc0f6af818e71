using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Sql;

namespace Strata.Tests.Kinds;

/// <summary>The SQL generator's registry of the kinds' statement writers (<see cref="KindSql"/>), which kinds fill from their own files.</summary>
public sealed class KindSqlTests
{
    [Fact]
    public void A_kinds_writer_is_found_by_its_change_records_type_and_names_the_change_it_describes()
    {
        var registry = new KindSqlRegistry(
        [
            new KindSql()
                .Writes<CreateSchema>((c, output) => output.Add(new SqlStatement($"-- create {c.Name}")), c => $"Schema {c.Name}")
                .Writes<DropSchema>((c, output) => output.Add(new SqlStatement($"-- drop {c.Name}"))),
        ]);

        var create = registry.WriterOf(new CreateSchema("sales"));
        var drop = registry.WriterOf(new DropSchema("sales"));
        var output = new List<SqlStatement>();
        create!.Write(new CreateSchema("sales"), output);
        drop!.Write(new DropSchema("sales"), output);

        Assert.Equal(["-- create sales", "-- drop sales"], output.Select(s => s.Sql));
        Assert.Equal("Schema sales", create.Describe!(new CreateSchema("sales")));
        Assert.Null(drop.Describe);
        Assert.Null(registry.WriterOf(new RenameSchema("a", "b")));
    }

    [Fact]
    public void Two_kinds_writing_the_same_change_record_are_refused_so_that_neither_silently_wins()
    {
        KindSql Writer() => new KindSql().Writes<CreateSchema>((_, _) => { });

        var error = Assert.Throws<InvalidOperationException>(() => new KindSqlRegistry([Writer(), Writer()]));

        Assert.Contains("CreateSchema", error.Message);
    }

    [Fact]
    public void A_kind_names_its_column_type_and_other_type_kinds_are_left_to_the_generator()
    {
        var registry = new KindSqlRegistry([new KindSql().NamesType(TypeKind.Raw, type => $"<{type.RawName}>")]);

        Assert.Equal("<tsvector>", registry.TypeName(new ColumnType(TypeKind.Raw, RawName: "tsvector")));
        Assert.Null(registry.TypeName(new ColumnType(TypeKind.Text)));
        Assert.Throws<InvalidOperationException>(() => new KindSqlRegistry(
            [new KindSql().NamesType(TypeKind.Raw, _ => "a"), new KindSql().NamesType(TypeKind.Raw, _ => "b")]));
    }

    [Fact]
    public void Every_change_record_has_exactly_one_writer_the_generators_switch_or_a_registered_kind()
    {
        // A change record whose type the switch does not know and no kind registered fails Generate with NotSupportedException;
        // the registered ones must not also have a case in the switch (the switch would win and the kind's file would lie).
        var changeTypes = typeof(SchemaChange).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(SchemaChange)) && !t.IsAbstract).ToList();
        var registered = changeTypes.Where(t => PostgresSqlGenerator.Kinds.WriterOf((SchemaChange)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t)) is not null).ToList();

        Assert.NotEmpty(registered);
        var source = File.ReadAllText(Path.Combine(Docs.DocCommandTests.RepositoryRoot, "src", "Strata.Postgres", "Sql", "PostgresSqlGenerator.cs"));
        Assert.All(registered, t => Assert.DoesNotContain($"case {t.Name} ", source, StringComparison.Ordinal));
        Assert.All(changeTypes.Except(registered), t => Assert.Contains($"case {t.Name} ", source, StringComparison.Ordinal));
    }
}
