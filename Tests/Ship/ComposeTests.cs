using System.Text.RegularExpressions;
using NixFleet.Tests.Support;

namespace NixFleet.Tests.Ship;

/// <summary>
/// Both compose files, validated and normalised by <c>docker-compose config</c> (no Docker daemon needed), with
/// the shape operators run behind Traefik.
/// </summary>
public sealed partial class ComposeTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static Tool.Result Config(string file, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["NIXFLEET_ENV_FILE"] = RepoFiles.Path("compose", "nixfleet.env.example"),
            ["NIXFLEET_HOST"] = null,
            ["NIXFLEET_IMAGE"] = null,
            ["NIXFLEET_POSTGRES_PASSWORD"] = null,
            ["COMPOSE_FILE"] = null,
            ["COMPOSE_PROJECT_NAME"] = null,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) env[k] = v;
        return Tool.Run("docker-compose", ["-f", file, "config"], RepoFiles.Path("compose"), env);
    }

    [Fact]
    public void Single_node_file_validates_with_the_traefik_shape_and_no_published_port()
    {
        var result = Config(RepoFiles.Path("compose", "docker-compose.yml"));
        Assert.True(result.ExitCode == 0, result.All);
        var yaml = result.Stdout;

        Assert.Contains("container_name: nixfleet", yaml);
        Assert.Contains("restart: unless-stopped", yaml);
        Assert.Contains("- nixfleet_data:/data", yaml);
        Assert.Matches(@"networks:\s+traefik:\s+external: true", yaml);
        Assert.Contains("traefik.enable: \"true\"", yaml);
        Assert.Contains("traefik.http.routers.nixfleet.rule: Host(`fleet.example.com`)", yaml);
        Assert.Contains("traefik.http.routers.nixfleet.tls: \"true\"", yaml);
        Assert.Contains("traefik.http.services.nixfleet.loadbalancer.server.port: '8000'", yaml);
        // The health check NixFleet deployments already use.
        Assert.Matches(@"- wget\s+- -q\s+- --spider\s+- http://localhost:8000/login", yaml);
        Assert.DoesNotContain("ports:", yaml);
        Assert.Contains("dockerfile: compose/Dockerfile", yaml);
        Assert.Contains($"context: {RepoPaths.Root}", yaml);
    }

    [Fact]
    public void The_host_name_is_a_variable()
    {
        var result = Config(RepoFiles.Path("compose", "docker-compose.yml"),
            new Dictionary<string, string?> { ["NIXFLEET_HOST"] = "fleet.test.internal" });
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("traefik.http.routers.nixfleet.rule: Host(`fleet.test.internal`)", result.Stdout);
        Assert.DoesNotContain("fleet.example.com", result.Stdout);
    }

    [Fact]
    public void Cluster_file_validates_with_postgres_two_nodes_and_a_load_balancer_in_front_of_both()
    {
        var result = Config(RepoFiles.Path("compose", "docker-compose.cluster.yml"),
            new Dictionary<string, string?> { ["NIXFLEET_POSTGRES_PASSWORD"] = "test-password" });
        Assert.True(result.ExitCode == 0, result.All);
        var yaml = result.Stdout;

        var services = ServiceNames(yaml);
        Assert.Equal(["lb", "nixfleet-1", "nixfleet-2", "postgres"], services);
        Assert.Contains("image: postgres:", yaml);
        Assert.Equal(2, Regex.Matches(yaml, "NIXFLEET_SILO_PORT: '11111'").Count);
        Assert.Equal(2, Regex.Matches(yaml, "NIXFLEET_CLUSTER_DB: Host=postgres;.*Password=test-password").Count);
        Assert.Contains("NIXFLEET_ADVERTISE_ADDRESS: nixfleet-1", yaml);
        Assert.Contains("NIXFLEET_ADVERTISE_ADDRESS: nixfleet-2", yaml);
        Assert.Contains("condition: service_healthy", yaml);

        // The load balancer sends traffic to exactly the two dashboard services, on their port.
        var nginx = RepoFiles.Read("compose", "nginx-cluster.conf");
        var upstreams = Regex.Matches(nginx, @"^\s*server\s+([\w.-]+):(\d+)", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value}:{m.Groups[2].Value}").Order().ToList();
        Assert.Equal(["nixfleet-1:8000", "nixfleet-2:8000"], upstreams);
        Assert.Contains("nginx-cluster.conf:/etc/nginx/conf.d/default.conf:ro", yaml);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", nginx);
    }

    [Fact]
    public void Cluster_file_refuses_to_start_without_a_database_password()
    {
        var result = Config(RepoFiles.Path("compose", "docker-compose.cluster.yml"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("NIXFLEET_POSTGRES_PASSWORD", result.All);
    }

    [Fact]
    public void An_invalid_compose_file_fails_validation()
    {
        var file = _dir.File("docker-compose.yml");
        File.WriteAllText(file, "services:\n  nixfleet:\n    image: nixfleet:local\n    restart_policy: sometimes\n");
        var result = Config(file);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("restart_policy", result.All);
    }

    /// <summary>The keys directly under <c>services:</c> in the normalised YAML.</summary>
    private static List<string> ServiceNames(string yaml)
    {
        var block = Regex.Match(yaml, @"^services:\n((?:  .*\n|\n)*)", RegexOptions.Multiline).Groups[1].Value;
        return Regex.Matches(block, @"^  ([\w.-]+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Order().ToList();
    }

    public void Dispose() => _dir.Dispose();
}
