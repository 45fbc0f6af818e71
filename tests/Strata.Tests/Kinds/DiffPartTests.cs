using System.Reflection;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Tests.Kinds;

/// <summary>
/// The differ's registries: the kinds that declare their differ in their own file (DiffRun.{Kind}.cs) register their
/// steps at the run's fixed places (<see cref="DiffPhase"/>) and their part of pg_type's namespace, and the central
/// files of the differ name no such kind.
/// </summary>
public sealed class DiffPartTests
{
    private static IEnumerable<FieldInfo> StaticFieldsOf<T>() =>
        typeof(DiffRun).GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).Where(f => f.FieldType == typeof(T));

    [Fact]
    public void Every_part_a_kind_declares_is_registered_at_its_place_and_the_parts_of_a_place_come_in_their_order()
    {
        var fields = StaticFieldsOf<DiffPart>().ToList();
        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            var part = (DiffPart)field.GetValue(null)!;
            Assert.True(DiffRun.PartsAt(part.Phase).Contains(part), $"DiffRun.{field.Name} is not registered at {part.Phase}");
        }
        foreach (var phase in Enum.GetValues<DiffPhase>())
        {
            var orders = DiffRun.PartsAt(phase).Select(p => p.Order).ToList();
            Assert.Equal(orders.Order(), orders);
            Assert.Equal(orders.Distinct().Count(), orders.Count);
            Assert.All(DiffRun.PartsAt(phase), p => Assert.Equal(phase, p.Phase));
        }
        Assert.Equal(fields.Count, Enum.GetValues<DiffPhase>().Sum(p => DiffRun.PartsAt(p).Length));
    }

    [Fact]
    public void Every_kind_of_user_type_a_file_declares_is_registered_in_the_type_namespace()
    {
        var fields = StaticFieldsOf<UserTypePart>().ToList();
        Assert.NotEmpty(fields);
        Assert.Equal(fields.Select(f => (UserTypePart)f.GetValue(null)!).ToHashSet(), DiffRun.UserTypeParts.ToHashSet());
        var orders = DiffRun.UserTypeParts.Select(p => p.Order).ToList();
        Assert.Equal(orders.Order(), orders);
    }

    [Fact]
    public void Domains_take_their_steps_at_the_places_of_the_user_types()
    {
        Assert.Contains(DiffRun.MatchDomainsPart, DiffRun.PartsAt(DiffPhase.MatchTypes));
        Assert.Contains(DiffRun.RecreateDomainsPart, DiffRun.PartsAt(DiffPhase.TypesRecreated));
        Assert.Contains(DiffRun.DiffDomainsPart, DiffRun.PartsAt(DiffPhase.DiffTypes));
        Assert.Contains(DiffRun.DomainTypes, DiffRun.UserTypeParts);

        var email = new QualifiedName("public", "email");
        var model = DatabaseModel.Empty with
        {
            Domains = ValueList.Create(
                new Domain("public", "email", new ColumnType(TypeKind.Text), Default: "'a@b'", Checks: ValueList.Create(new CheckConstraint("has_at", "VALUE LIKE '%@%'"))),
                new Domain("public", "work_email", ColumnType.UserType(TypeKind.Domain, email))),
        };
        var names = new HashSet<QualifiedName>();
        DiffRun.DomainTypes.AddNames(model, names);
        Assert.Equal([email, new QualifiedName("public", "work_email")], names.Order());
        Assert.Equal(["work_email"], DiffRun.DomainTypes.TypesOver(model, email));
    }

    [Fact]
    public void The_places_of_the_run_are_all_counted()
    {
        Assert.Equal(DiffRun.PhaseCount, Enum.GetValues<DiffPhase>().Length);
    }

    [Fact]
    public void A_user_type_takes_another_name_in_its_kinds_field_and_keeps_its_array_dimensions()
    {
        var name = new QualifiedName("app", "feeling");

        Assert.Equal(new ColumnType(TypeKind.Enum, EnumName: name, ArrayDimensions: 2),
            new ColumnType(TypeKind.Enum, EnumName: new("public", "mood"), ArrayDimensions: 2).WithUserTypeName(name));
        Assert.Equal(new ColumnType(TypeKind.Domain, DomainName: name), ColumnType.UserType(TypeKind.Domain, new("public", "email")).WithUserTypeName(name));
        Assert.Throws<InvalidOperationException>(() => new ColumnType(TypeKind.Text).WithUserTypeName(name));
    }

    [Fact]
    public void The_kinds_a_rename_names_are_listed_in_their_order_with_their_words_and_a_kinds_file_declares_its_own()
    {
        var declared = typeof(ObjectKind).GetFields(BindingFlags.Static | BindingFlags.Public).Where(f => f.FieldType == typeof(ObjectKind))
            .Select(f => (ObjectKind)f.GetValue(null)!).ToHashSet();

        Assert.Equal(declared, ObjectKind.All.ToHashSet());
        Assert.Equal(["Schema", "Enum", "Sequence", "Table", "Column", "Index", "View", "Domain", "Composite"], ObjectKind.All.Select(k => k.ToString()));
        Assert.Equal(["schema", "enum", "sequence", "table", "column", "index", "view", "domain", "composite"], ObjectKind.All.Select(k => k.SnapshotName));
        Assert.Equal([1, 2, 2, 2, 3, 2, 2, 2, 2], ObjectKind.All.Select(k => k.KeyParts));
        Assert.Equal(ObjectKind.All.Count, ObjectKind.All.Select(k => k.Order).Distinct().Count());

        Assert.False(RenameDecisions.TryParse(["function:public.f=public.g"], out _, out var error));
        Assert.EndsWith("kinds: schema, enum, sequence, table, column, index, view, domain, composite.", error);
        Assert.True(RenameDecisions.TryParse(["domain:public.email=address", "!domain:public.phone"], out var decisions, out _));
        Assert.Equal([new Rename(ObjectKind.Domain, "public.email", "public.address")], decisions.Renames);
        Assert.Equal(["domain:public.email=address", "!domain:public.phone"], decisions.ToHints());
    }
}
