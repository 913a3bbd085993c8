#!/usr/bin/env bash
# Installs a released newswire binary in seconds: picks the release asset for this platform,
# checks its SHA-256 checksum against the one published beside it, and puts `newswire` in a
# folder (default ~/.local/bin). Nothing is installed when the checksum does not match.
#
#   curl -fsSL https://github.com/<owner>/newswire/raw/main/install.sh | bash
#
# Settings (environment):
#   NEWSWIRE_VERSION      a release tag such as v0.1.0, or `latest` (default)
#   NEWSWIRE_INSTALL_DIR  where the binary goes (default ~/.local/bin)
#   NEWSWIRE_REPO         the GitHub repository the releases are in (default below: the one
#                         place the repository's address is written; see the README)
#   NEWSWIRE_RELEASES     base URL of the releases (default https://github.com/$NEWSWIRE_REPO/releases;
#                         a mirror, or a local folder served over HTTP in tests)
#   NEWSWIRE_TARGET       the Rust target to install, instead of this machine's
set -euo pipefail

repo="${NEWSWIRE_REPO:-newswire/newswire}"
version="${NEWSWIRE_VERSION:-latest}"
dir="${NEWSWIRE_INSTALL_DIR:-$HOME/.local/bin}"
releases="${NEWSWIRE_RELEASES:-https://github.com/$repo/releases}"

fail() { echo "install.sh: $*" >&2; exit 1; }

target="${NEWSWIRE_TARGET:-}"
if [ -z "$target" ]; then
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "no release for the $arch processor (x86_64 and aarch64 only): build from source with cargo install" ;;
  esac
  case "$os" in
    Linux) target="$arch-unknown-linux-musl" ;;
    Darwin) target="$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      [ "$arch" = x86_64 ] || fail "no release for Windows on $arch (x86_64 only)"
      target=x86_64-pc-windows-msvc ;;
    *) fail "no release for $os: build from source with cargo install" ;;
  esac
fi

case "$target" in
  *windows*) asset="newswire-$target.zip" exe=newswire.exe ;;
  *) asset="newswire-$target.tar.gz" exe=newswire ;;
esac
case "$version" in
  latest) base="$releases/latest/download" ;;
  v*) base="$releases/download/$version" ;;
  *) base="$releases/download/v$version" ;;
esac

fetch() { # url file
  if command -v curl > /dev/null; then
    curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"
  elif command -v wget > /dev/null; then
    wget --quiet --tries=3 --output-document="$2" "$1"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256() {
  if command -v sha256sum > /dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum > /dev/null; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    fail "neither sha256sum nor shasum is installed: cannot check the download"
  fi
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fetch "$base/$asset" "$tmp/$asset" || fail "cannot download $base/$asset"
fetch "$base/$asset.sha256" "$tmp/$asset.sha256" || fail "cannot download $base/$asset.sha256"
want="$(cut -d' ' -f1 < "$tmp/$asset.sha256" | tr 'A-F' 'a-f')"
got="$(sha256 "$tmp/$asset")"
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  fail "checksum mismatch for $asset: expected ${want:-nothing}, got $got; nothing installed"
fi

mkdir -p "$tmp/unpacked"
case "$asset" in
  *.zip) unzip -q "$tmp/$asset" -d "$tmp/unpacked" ;;
  *) tar -xzf "$tmp/$asset" -C "$tmp/unpacked" ;;
esac
[ -f "$tmp/unpacked/$exe" ] || fail "$asset holds no $exe"
mkdir -p "$dir"
cp "$tmp/unpacked/$exe" "$dir/$exe.new"
chmod 755 "$dir/$exe.new"
mv -f "$dir/$exe.new" "$dir/$exe"
echo "install.sh: installed $("$dir/$exe" --version 2>/dev/null || echo newswire) ($target) to $dir/$exe" >&2
case ":$PATH:" in
  *":$dir:"*) ;;
  *) echo "install.sh: $dir is not on PATH; add it, e.g. export PATH=\"$dir:\$PATH\"" >&2 ;;
esac
