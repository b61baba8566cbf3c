#!/usr/bin/env bash
# Builds a Switchboard release into one folder (default dist/):
#   switchboard-<version>-<rid>.tar.gz (win-x64: .zip)  a self-contained single-file `switchboard` binary with
#                                                       LICENSE, README.md, CHANGELOG.md; runs with no .NET installed
#   Switchboard.<version>.nupkg                         the .NET tool package (framework-dependent; needs .NET 10)
#   SHA256SUMS                                          checksums of the above (sha256sum -c SHA256SUMS)
# Each archive is also left unpacked beside it (switchboard-<version>-<rid>/). Why plain single-file, not ReadyToRun,
# trimmed or compressed: docs/DEPLOYMENT.md ("How the binaries are built").
#
# Usage: build/release.sh [--rid RID]... [--out DIR] [--no-tool]
#   --rid RID   build only this target (repeatable); default: linux-x64 linux-arm64 osx-arm64 win-x64
#   --out DIR   output folder (emptied first); default dist
#   --no-tool   skip the tool package
# Cross-publishing needs only the runtime packs, which dotnet restores from NuGet.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rids=()
out=dist
tool=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rid) rids+=("$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-tool) tool=0; shift ;;
    -h|--help) sed -n '2,/^[^#]/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "release.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#rids[@]} -gt 0 ]] || rids=(linux-x64 linux-arm64 osx-arm64 win-x64)

project=src/Switchboard/Switchboard.csproj
version=$(dotnet msbuild "$project" -getProperty:Version)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "release.sh: '$version' is not a semantic version" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for rid in "${rids[@]}"; do
  echo "== switchboard $version $rid"
  # Self-contained single file, the SQLite native library inside it (unpacked on first start, see DEPLOYMENT.md), no
  # debug symbols; JIT-compiled like every test run (ReadyToRun and trimming were measured and not taken).
  dotnet publish "$project" -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:DebugType=none -p:GenerateDocumentationFile=false \
    -o "$work/publish/$rid" --nologo -v quiet

  exe=Switchboard name=switchboard
  if [[ $rid == win-* ]]; then exe=Switchboard.exe name=switchboard.exe; fi
  folder=switchboard-$version-$rid
  mkdir -p "$out/$folder"
  cp "$work/publish/$rid/$exe" "$out/$folder/$name"
  chmod 755 "$out/$folder/$name"
  cp LICENSE README.md CHANGELOG.md "$out/$folder/"
  if [[ $rid == win-* ]]; then
    (cd "$out" && zip -qr "$folder.zip" "$folder")
  else
    tar -C "$out" -czf "$out/$folder.tar.gz" "$folder"
  fi
  echo "   $(du -h "$out/$folder/$name" | cut -f1)  $out/$folder/$name"
done

if [[ $tool == 1 ]]; then
  echo "== tool package Switchboard $version"
  dotnet pack "$project" -c Release -o "$out" --nologo -v quiet
fi

(cd "$out" && shopt -s nullglob && sha256sum -- *.tar.gz *.zip *.nupkg > SHA256SUMS && sha256sum -c --quiet SHA256SUMS)
echo "== $out"
ls -l "$out"
