using Strata.Model;

namespace Strata.Postgres.Introspection;

/// <summary>A sequence's settings as pg_sequence stores them (every one filled in).</summary>
internal sealed record SequenceValues(long Start, long Increment, long Min, long Max, long Cache, bool Cycle);

/// <summary>
/// Maps stored sequence settings to <see cref="SequenceOptions"/>, where null means "PostgreSQL's default".
/// The defaults follow CREATE SEQUENCE: an ascending sequence runs from 1 to the type's maximum, a
/// descending one from the type's minimum to -1, and starts at its MINVALUE (ascending) or MAXVALUE
/// (descending), so a sequence declared with only MINVALUE 10 reads back with StartWith null.
/// </summary>
internal static class SequenceDefaults
{
    private const string DefaultDataType = "bigint";

    /// <param name="dataType">format_type of the sequence's type: smallint, integer or bigint.</param>
    /// <param name="keepDataType">
    /// A stand-alone sequence keeps a non-bigint type; an identity sequence's type is its column's, so
    /// the options never repeat it.
    /// </param>
    public static SequenceOptions ToOptions(SequenceValues values, string dataType, bool keepDataType)
    {
        var (typeMin, typeMax) = dataType switch
        {
            "smallint" => ((long)short.MinValue, (long)short.MaxValue),
            "integer" => (int.MinValue, int.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        var ascending = values.Increment > 0;
        var defaultMin = ascending ? 1 : typeMin;
        var defaultMax = ascending ? typeMax : -1;
        var defaultStart = ascending ? values.Min : values.Max;
        return new SequenceOptions(
            DataType: keepDataType && dataType != DefaultDataType ? dataType : null,
            StartWith: values.Start == defaultStart ? null : values.Start,
            IncrementBy: values.Increment == 1 ? null : values.Increment,
            MinValue: values.Min == defaultMin ? null : values.Min,
            MaxValue: values.Max == defaultMax ? null : values.Max,
            Cache: values.Cache == 1 ? null : values.Cache,
            Cycle: values.Cycle);
    }
}
