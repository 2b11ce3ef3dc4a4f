# The dashboard's front-end packages (Web/node_modules), installed by `npm ci` from Web/package-lock.json in a
# fixed-output derivation: the only step allowed the network, and checked against the hash recorded in
# ./web-node-modules.json (regenerate with scripts/update-web-node-modules-hash.sh).
{ lib, stdenvNoCC, nodejs, cacert }:
let
  recorded = builtins.fromJSON (builtins.readFile ./web-node-modules.json);
in
stdenvNoCC.mkDerivation {
  name = "nixfleet-web-node-modules";
  src = lib.fileset.toSource {
    root = ../Web;
    fileset = lib.fileset.unions [ ../Web/package.json ../Web/package-lock.json ../Web/.npmrc ];
  };
  nativeBuildInputs = [ nodejs cacert ];

  buildPhase = ''
    runHook preBuild
    export HOME=$TMPDIR
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    # npm's own record of the install differs between npm versions; the package files do not.
    rm -f node_modules/.package-lock.json
    runHook postBuild
  '';
  installPhase = ''
    runHook preInstall
    cp -r node_modules $out
    runHook postInstall
  '';
  dontFixup = true;

  outputHashMode = "recursive";
  outputHashAlgo = "sha256";
  outputHash = recorded.hash;
}
