namespace Strata.Cli;

/// <summary>The exit codes every command uses, as documented in DESIGN.md.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int DifferenceFound = 3;
}
