# Evaluates one of the repository's Nix modules without nixpkgs: a stand-in for the few lib functions the
# modules use, option defaults merged with the test's settings, and the module's config returned as JSON.
# Used by Tests/Ship/NixModuleTests.cs:
#   nix-instantiate --eval --strict --json eval-module.nix --arg module <file> --argstr settingsJson <json> ...
{ module, settingsJson, darwin ? false, hostName ? "hsb0", userName ? "me" }:
let
  recursiveUpdate = a: b:
    a // builtins.mapAttrs
      (n: v: if builtins.isAttrs v && builtins.isAttrs (a.${n} or null) then recursiveUpdate a.${n} v else v)
      b;

  lib = {
    mkOption = o: o;
    mkEnableOption = name: { default = false; description = "Whether to enable ${name}."; };
    literalExpression = text: { _type = "literalExpression"; inherit text; };
    types = {
      str = "str"; bool = "bool"; port = "port"; package = "package";
      nullOr = t: { nullOr = t; };
      enum = values: { enum = values; };
      strMatching = re: { strMatching = re; };
      attrsOf = t: { attrsOf = t; };
      ints.between = lo: hi: { between = [ lo hi ]; };
    };
    mkIf = cond: value: if cond then value else { };
    mkMerge = builtins.foldl' recursiveUpdate { };
    mkDefault = v: v;
    filterAttrs = pred: set:
      builtins.listToAttrs (builtins.filter (x: pred x.name x.value)
        (map (name: { inherit name; value = set.${name}; }) (builtins.attrNames set)));
    mapAttrsToList = f: set: map (n: f n set.${n}) (builtins.attrNames set);
    concatStringsSep = builtins.concatStringsSep;
    hasPrefix = prefix: s: builtins.substring 0 (builtins.stringLength prefix) s == prefix;
    hasInfix = infix: s: builtins.length (builtins.split (escapeRegex infix) s) > 1;
    optional = cond: x: if cond then [ x ] else [ ];
    getExe = p: "${p.outPath}/bin/${p.meta.mainProgram}";
  };
  escapeRegex = builtins.replaceStrings [ "." "[" "]" "(" ")" "*" "+" "?" "^" "$" "|" "{" "}" "\\" ]
    [ "\\." "\\[" "\\]" "\\(" "\\)" "\\*" "\\+" "\\?" "\\^" "\\$" "\\|" "\\{" "\\}" "\\\\" ];

  pkgs = {
    callPackage = path: _:
      let name = builtins.replaceStrings [ "package-" ".nix" ] [ "nixfleet-" "" ] (baseNameOf (toString path));
      in { outPath = "/nix/store/0000-${name}"; meta.mainProgram = name; };
    git = "/nix/store/0000-git";
    openssh = "/nix/store/0000-openssh";
    stdenv.hostPlatform.isDarwin = darwin;
  };

  settings = builtins.fromJSON settingsJson;
  imported = import module;
  evaluated = imported { inherit config lib pkgs; };
  # The one option set a module declares (services.<name>), with defaults applied under the test's settings.
  serviceName = builtins.head (builtins.attrNames evaluated.options.services);
  declared = evaluated.options.services.${serviceName};
  cfg = builtins.mapAttrs (n: o: settings.${n} or (o.default or (throw "option ${n} has no default and was not set"))) declared;
  config = {
    services.${serviceName} = cfg;
    networking.hostName = hostName;
    home.username = userName;
    home.profileDirectory = "/etc/profiles/per-user/${userName}";
    xdg.stateHome = "/home/${userName}/.local/state";
    nix.package = "/nix/store/0000-nix";
  };
  unknown = builtins.filter (n: !(declared ? ${n})) (builtins.attrNames settings);
in
if unknown != [ ] then throw "unknown options: ${builtins.concatStringsSep ", " unknown}"
else {
  options = builtins.attrNames declared;
  config = builtins.removeAttrs evaluated.config [ "assertions" ];
  failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) (evaluated.config.assertions or [ ]));
}
