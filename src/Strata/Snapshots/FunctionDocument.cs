using System.Globalization;
using System.Text.Json;
using Strata.Model;

// PostgreSQL functions and procedures in snapshot.json, in one file: their record (the top-level "functions" list),
// the reader's fields for it, and the mappings both ways, as partial parts of the snapshot's central types, each
// registered once (see KindRegistry). Every default is absent: "kind" only for a procedure, "volatility" and
// "parallel" only when not volatile and unsafe, "cost" and "rows" only when not PostgreSQL's.
namespace Strata.Snapshots;

internal sealed record FunctionDocument
{
    public List<FunctionArgumentDocument?>? Arguments { get; set; }

    public string? Body { get; set; }

    public string? Comment { get; set; }

    /// <summary>COST as a decimal number in a string (exact, unlike a JSON number read as a double).</summary>
    public string? Cost { get; set; }

    public string? Kind { get; set; }

    public string? Language { get; set; }

    public Flag? Leakproof { get; set; }

    public string? Name { get; set; }

    public string? Parallel { get; set; }

    public ColumnTypeDocument? Returns { get; set; }

    public Flag? ReturnsSet { get; set; }

    public string? Rows { get; set; }

    public string? Schema { get; set; }

    public Flag? SecurityDefiner { get; set; }

    public List<FunctionSettingDocument?>? Settings { get; set; }

    public Flag? Strict { get; set; }

    public string? Volatility { get; set; }
}

internal sealed record FunctionArgumentDocument
{
    public string? Default { get; set; }

    /// <summary>"out", "inout", "variadic" or "table"; absent for IN.</summary>
    public string? Mode { get; set; }

    public string? Name { get; set; }

    public ColumnTypeDocument? Type { get; set; }
}

internal sealed record FunctionSettingDocument
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<FunctionDocument?>? Functions { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<FunctionDocument?>? Functions { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields FunctionFields = Register(new(Order: 20,
        [Field<SnapshotDocument>("functions", (ref Utf8JsonReader r, SnapshotDocument d) => d.Functions = Objects(ref r, FunctionShape))],
        static () => new()
        {
            [typeof(FunctionDocument)] = FunctionShape.Names,
            [typeof(FunctionArgumentDocument)] = FunctionArgumentShape.Names,
            [typeof(FunctionSettingDocument)] = FunctionSettingShape.Names,
        }));

    private static Shape<FunctionDocument>? _functionShape;
    private static Shape<FunctionArgumentDocument>? _functionArgumentShape;
    private static Shape<FunctionSettingDocument>? _functionSettingShape;

    private static Shape<FunctionDocument> FunctionShape => _functionShape ??= new(() => new(),
        ("arguments", (ref Utf8JsonReader r, FunctionDocument d) => d.Arguments = Objects(ref r, FunctionArgumentShape)),
        ("body", (ref Utf8JsonReader r, FunctionDocument d) => d.Body = String(ref r)),
        ("comment", (ref Utf8JsonReader r, FunctionDocument d) => d.Comment = String(ref r)),
        ("cost", (ref Utf8JsonReader r, FunctionDocument d) => d.Cost = String(ref r)),
        ("kind", (ref Utf8JsonReader r, FunctionDocument d) => d.Kind = String(ref r)),
        ("language", (ref Utf8JsonReader r, FunctionDocument d) => d.Language = String(ref r)),
        ("leakproof", (ref Utf8JsonReader r, FunctionDocument d) => d.Leakproof = Flag(ref r)),
        ("name", (ref Utf8JsonReader r, FunctionDocument d) => d.Name = String(ref r)),
        ("parallel", (ref Utf8JsonReader r, FunctionDocument d) => d.Parallel = String(ref r)),
        ("returns", (ref Utf8JsonReader r, FunctionDocument d) => d.Returns = Object(ref r, ColumnTypeShape)),
        ("returnsSet", (ref Utf8JsonReader r, FunctionDocument d) => d.ReturnsSet = Flag(ref r)),
        ("rows", (ref Utf8JsonReader r, FunctionDocument d) => d.Rows = String(ref r)),
        ("schema", (ref Utf8JsonReader r, FunctionDocument d) => d.Schema = String(ref r)),
        ("securityDefiner", (ref Utf8JsonReader r, FunctionDocument d) => d.SecurityDefiner = Flag(ref r)),
        ("settings", (ref Utf8JsonReader r, FunctionDocument d) => d.Settings = Objects(ref r, FunctionSettingShape)),
        ("strict", (ref Utf8JsonReader r, FunctionDocument d) => d.Strict = Flag(ref r)),
        ("volatility", (ref Utf8JsonReader r, FunctionDocument d) => d.Volatility = String(ref r)));

    private static Shape<FunctionArgumentDocument> FunctionArgumentShape => _functionArgumentShape ??= new(() => new(),
        ("default", (ref Utf8JsonReader r, FunctionArgumentDocument d) => d.Default = String(ref r)),
        ("mode", (ref Utf8JsonReader r, FunctionArgumentDocument d) => d.Mode = String(ref r)),
        ("name", (ref Utf8JsonReader r, FunctionArgumentDocument d) => d.Name = String(ref r)),
        ("type", (ref Utf8JsonReader r, FunctionArgumentDocument d) => d.Type = Object(ref r, ColumnTypeShape)));

    private static Shape<FunctionSettingDocument> FunctionSettingShape => _functionSettingShape ??= new(() => new(),
        ("name", (ref Utf8JsonReader r, FunctionSettingDocument d) => d.Name = String(ref r)),
        ("value", (ref Utf8JsonReader r, FunctionSettingDocument d) => d.Value = String(ref r)));
}

internal static partial class SnapshotMapping
{
    // After the user types: a snapshot's functions are read after them.
    internal static readonly KindMapping FunctionMapping = Register(new(Order: 20,
        static (model, document) => document.Functions = Documents(model.Functions, ToDocument),
        static (document, model) => model with { Functions = Items(document.Functions, "functions", ToFunction) }));

    private static FunctionDocument ToDocument(Function function) => new()
    {
        Arguments = Documents(function.Arguments, ToDocument),
        Body = function.Body,
        Comment = function.Comment,
        Cost = function.Cost?.ToString(CultureInfo.InvariantCulture),
        Kind = function.Kind == RoutineKind.Procedure ? "procedure" : null,
        Language = function.Language,
        Leakproof = Flag.Of(function.Leakproof),
        Name = function.Name,
        Parallel = function.Parallel switch { ParallelSafety.Safe => "safe", ParallelSafety.Restricted => "restricted", _ => null },
        Returns = function.Returns is { } returns ? ToDocument(returns) : null,
        ReturnsSet = Flag.Of(function.ReturnsSet),
        Rows = function.Rows?.ToString(CultureInfo.InvariantCulture),
        Schema = function.Schema,
        SecurityDefiner = Flag.Of(function.SecurityDefiner),
        Settings = Documents(function.Settings, s => new FunctionSettingDocument { Name = s.Name, Value = s.Value }),
        Strict = Flag.Of(function.Strict),
        Volatility = function.Volatility switch { Volatility.Immutable => "immutable", Volatility.Stable => "stable", _ => null },
    };

    private static FunctionArgumentDocument ToDocument(FunctionArgument argument) => new()
    {
        Default = argument.Default,
        Mode = argument.Mode switch
        {
            ArgumentMode.Out => "out",
            ArgumentMode.InOut => "inout",
            ArgumentMode.Variadic => "variadic",
            ArgumentMode.Table => "table",
            _ => null,
        },
        Name = argument.Name,
        Type = ToDocument(argument.Type),
    };

    private static Function ToFunction(FunctionDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Name, "name"),
        Items(document.Arguments, "arguments", ToArgument),
        document.Returns is { } returns ? In(returns, "returns", ToType) : null,
        Required(document.Language, "language"),
        document.Body ?? throw Missing("body", "a string"),
        document.Kind switch
        {
            null => RoutineKind.Function,
            "procedure" => RoutineKind.Procedure,
            var other => throw new SnapshotPathException("kind", $"\"{other}\" is not a kind of routine; expected \"procedure\" or no \"kind\""),
        },
        document.ReturnsSet is not null,
        document.Volatility switch
        {
            null => Volatility.Volatile,
            "stable" => Volatility.Stable,
            "immutable" => Volatility.Immutable,
            var other => throw new SnapshotPathException("volatility", $"\"{other}\" is not a volatility; expected \"stable\", \"immutable\" or no \"volatility\""),
        },
        document.Strict is not null,
        document.SecurityDefiner is not null,
        document.Leakproof is not null,
        document.Parallel switch
        {
            null => ParallelSafety.Unsafe,
            "safe" => ParallelSafety.Safe,
            "restricted" => ParallelSafety.Restricted,
            var other => throw new SnapshotPathException("parallel", $"\"{other}\" is not a parallel safety; expected \"safe\", \"restricted\" or no \"parallel\""),
        },
        Decimal(document.Cost, "cost"),
        Decimal(document.Rows, "rows"),
        Items(document.Settings, "settings", s => new FunctionSetting(Required(s.Name, "name"), Required(s.Value, "value"))),
        document.Comment);

    private static FunctionArgument ToArgument(FunctionArgumentDocument document) => new(
        document.Name,
        document.Type is { } type ? In(type, "type", ToType) : throw Missing("type", "an object"),
        document.Mode switch
        {
            null => ArgumentMode.In,
            "out" => ArgumentMode.Out,
            "inout" => ArgumentMode.InOut,
            "variadic" => ArgumentMode.Variadic,
            "table" => ArgumentMode.Table,
            var other => throw new SnapshotPathException("mode", $"\"{other}\" is not an argument mode; expected \"out\", \"inout\", \"variadic\", \"table\" or no \"mode\""),
        },
        document.Default);

    private static decimal? Decimal(string? text, string key) =>
        text is null ? null
        : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
        : throw new SnapshotPathException(key, $"\"{text}\" is not a number");
}
