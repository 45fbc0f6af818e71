using Strata.Diffing;

namespace Strata.Cli.Output;

/// <summary>One line per schema change, for people: "add column public.items.notes".</summary>
public static class ChangeDescriptions
{
    public static string Describe(SchemaChange change) => change switch
    {
        CreateSchema c => $"create schema {c.Name}",
        DropSchema c => $"drop schema {c.Name}",
        RenameSchema c => $"rename schema {c.From} to {c.To}",
        CreateEnum c => $"create enum {c.Enum.QualifiedName} ({string.Join(", ", c.Enum.Values)})",
        DropEnum c => $"drop enum {c.Enum.QualifiedName}",
        RenameEnum c => $"rename enum {c.From} to {c.To}",
        AddEnumValue c => $"add value '{c.Value}' to enum {c.Enum}",
        RecreateEnum c => $"re-create enum {c.To.QualifiedName} ({string.Join(", ", c.To.Values)})"
            + (c.RemovedValues.Count > 0 ? $", removing {string.Join(", ", c.RemovedValues)}" : ""),
        CreateSequence c => $"create sequence {c.Sequence.QualifiedName}",
        DropSequence c => $"drop sequence {c.Sequence.QualifiedName}",
        AlterSequence c => $"alter sequence {c.To.QualifiedName}",
        RenameSequence c => $"rename sequence {c.From} to {c.To}",
        CreateTable c => $"create table {c.Table.QualifiedName}",
        DropTable c => $"drop table {c.Table.QualifiedName}",
        SetTableLogging c => $"make table {c.Table} {(c.Unlogged ? "unlogged" : "logged")}",
        SetTableInheritance c => $"make table {c.Table} {(c.Inherit ? "inherit from" : "no longer inherit from")} {c.Parent}",
        SetOptions c => $"set the options of {c.Kind.ToString().ToLowerInvariant()} {c.Relation}",
        RenameTable c => $"rename table {c.From} to {c.To}",
        AddColumn c => $"add column {c.Table}.{c.Column.Name}",
        DropColumn c => $"drop column {c.Table}.{c.Column.Name}",
        RenameColumn c => $"rename column {c.Table}.{c.From} to {c.To}",
        AlterColumn c => $"alter column {c.Table}.{c.To.Name} ({c.Changes.ToString().ToLowerInvariant()})",
        AddPrimaryKey c => $"add primary key {c.PrimaryKey.Name} on {c.Table}",
        DropPrimaryKey c => $"drop primary key {c.PrimaryKey.Name} on {c.Table}",
        AddUnique c => $"add unique constraint {c.Unique.Name} on {c.Table}",
        DropUnique c => $"drop unique constraint {c.Unique.Name} on {c.Table}",
        AddCheck c => $"add check constraint {c.Check.Name} on {c.Table}",
        DropCheck c => $"drop check constraint {c.Check.Name} on {c.Table}",
        AddForeignKey c => $"add foreign key {c.ForeignKey.Name} on {c.Table}",
        DropForeignKey c => $"drop foreign key {c.ForeignKey.Name} on {c.Table}",
        RenameConstraint c => $"rename constraint {c.From} on {c.Table} to {c.To}",
        CreateIndex c => $"create index {c.Index.Name} on {c.Table}",
        DropIndex c => $"drop index {c.Index.Name} on {c.Table}",
        RenameIndex c => $"rename index {c.From} on {c.Table} to {c.To}",
        CreateView c => $"create {(c.View.Materialized ? "materialized view" : "view")} {c.View.QualifiedName}",
        DropView c => $"drop {(c.View.Materialized ? "materialized view" : "view")} {c.View.QualifiedName}",
        CommentOnSchema c => $"{(c.Comment is null ? "remove the comment on" : "comment on")} schema {c.Schema}",
        SetClusterOn c => c.Index is null ? $"mark no index of {c.Relation} clustered" : $"cluster {c.Relation} on index {c.Index}",
        SetComment c => $"{(c.Comment is null ? "remove the comment on" : "comment on")} {c.Target.ToString().ToLowerInvariant()} {c.Object}{(c.Column is null ? "" : "." + c.Column)}",
        _ => change.GetType().Name,
    };
}
