return await CodeGraphRag.Cli.CliApp.RunAsync(args);
