namespace Strata.Dsl;

/// <summary>One problem in a schema, naming the object (<c>public.users.email</c>) it is about.</summary>
public sealed record SchemaError(string Object, string Message)
{
    public override string ToString() => $"{Object}: {Message}";
}

/// <summary>Thrown by <see cref="SchemaBuilder.Build()"/> with every problem found, not just the first.</summary>
public sealed class SchemaValidationException(IReadOnlyList<SchemaError> errors)
    : Exception($"The schema has {errors.Count} problem{(errors.Count == 1 ? "" : "s")}:" + Environment.NewLine
        + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<SchemaError> Errors { get; } = errors;
}
