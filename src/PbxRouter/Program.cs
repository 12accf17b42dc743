using PbxRouter.Cli;

return await CliRoot.Create().Parse(args).InvokeAsync();
