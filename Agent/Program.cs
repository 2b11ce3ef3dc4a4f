// Placeholder entry point until the agent issue lands: prints its version so the solution builds and runs.
Console.WriteLine("nixfleet-agent " + typeof(Program).Assembly.GetName().Version);
return 0;
