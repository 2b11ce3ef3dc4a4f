using NixFleet.Agent.Configuration;
using NixFleet.Agent.Repo;
using NixFleet.Agent.Status;

namespace NixFleet.Agent.Commands;

/// <summary>What commands work with.</summary>
internal sealed record CommandServices(AgentSettings Settings, ConfigRepo Repo, StatusBoard Board, StatusChecks Checks, Reporter Reporter);
