using NixFleet.Web.Hosting;

return await DashboardProgram.RunAsync(args);
