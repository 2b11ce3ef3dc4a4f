# The repository as the packages' source: code and project files only, so a change to the docs, the tests or
# local build outputs does not rebuild the packages.
{ lib }:
let
  root = ../.;
  skippedDirs = [ "bin" "obj" "node_modules" "TestResults" "data" ".git" ".vs" "artifacts" ];
  skippedTop = [ "Tests" "Bench" "docs" "compose" "nix" "scripts" ".ci" ];
in
{
  version = "0.1.0";
  src = lib.cleanSourceWith {
    name = "nixfleet-source";
    src = root;
    filter = path: type:
      let
        rel = lib.removePrefix (toString root + "/") (toString path);
        base = baseNameOf (toString path);
      in
      !(type == "directory" && builtins.elem base skippedDirs)
      && !(builtins.elem rel skippedTop);
  };
}
