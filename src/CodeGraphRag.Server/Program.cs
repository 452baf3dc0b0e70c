return await CodeGraphRag.Api.CodeGraphRagServer.RunAsync(args);
