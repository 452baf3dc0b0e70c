return await CodeGraphRag.Server.CodeGraphRagServer.RunAsync(args);
