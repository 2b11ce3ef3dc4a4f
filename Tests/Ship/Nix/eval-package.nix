# Evaluates nix/package-*.nix with a stand-in buildDotnetModule that returns its arguments, so the tests can
# check what each package builds without nixpkgs. Used by Tests/Ship/NixModuleTests.cs.
{ package }:
let
  f = import package;
  # Like callPackage: each package gets the arguments it asks for.
  available = {
    lib = {
      cleanSourceWith = { name, src, filter }: { inherit name; };
      removePrefix = _: s: s;
      platforms = { linux = [ "x86_64-linux" "aarch64-linux" ]; darwin = [ "x86_64-darwin" "aarch64-darwin" ]; };
    };
    buildDotnetModule = a: a;
    dotnetCorePackages = { sdk_10_0 = "sdk_10_0"; runtime_10_0 = "runtime_10_0"; aspnetcore_10_0 = "aspnetcore_10_0"; };
    callPackage = path: _: "/nix/store/0000-${baseNameOf (toString path)}";
  };
  args = f (builtins.intersectAttrs (builtins.functionArgs f) available);
in
builtins.removeAttrs args [ "src" ] // {
  nugetDeps = baseNameOf (toString args.nugetDeps);
  src = args.src.name;
}
