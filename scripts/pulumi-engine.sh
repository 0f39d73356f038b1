#!/usr/bin/env bash
# Provide the Pulumi CLI (`pulumi`) and a Node.js language host (`pulumi-language-nodejs`) for this
# project without downloading anything but Go modules.
#
#   PATH="$(bash scripts/pulumi-engine.sh):$PATH"      # last stdout line: the bin directory
#   eval "$(bash scripts/pulumi-engine.sh --env)"      # export lines for offline use
#
# 1. A compatible pair already on PATH (pulumi 3.x with x >= 221, and pulumi-language-nodejs) is used
#    as it is (set MAILPOLICY_ENGINE_IGNORE_PATH=1 to skip this).
# 2. Otherwise both are built from Go modules (scripts/engine/go.mod + go.sum) into
#    ${MAILPOLICY_ENGINE_CACHE:-$HOME/.cache/mailpolicy/engine}/v<version>/bin, reused by later runs.
#    A build goes to a temporary directory and is switched in with an atomic symlink rename, so a
#    half-built cache is never used. A cold build takes several minutes on 2 cores (docs/engine.md).
# 3. With neither, it says what to install and exits 2.
# Progress goes to stderr; see docs/engine.md.
set -euo pipefail

# The CLI version. The npm dependency is @pulumi/pulumi 3.270.0, but the Go module proxy reachable
# here serves no pkg/v3 module zip between v3.260.0 and v3.274.1 (v3.270.0 and its neighbours answer
# "403 not available"; v3.274.1's dependencies are not served). v3.259.0 is the newest version that is
# served and builds. It is >= 3.221 (policy packs run through the language host's RunPlugin) and works
# with the 3.270 Node.js SDK (the engine/SDK gRPC protocol is backwards compatible within 3.x).
# Changing it means changing scripts/engine/go.mod too; the build checks that the two agree.
ENGINE_VERSION=3.259.0
MIN_MAJOR=3
MIN_MINOR=221

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module_dir=$script_dir/engine
# The oldest Go that builds the module: its go.mod's `go` line (pkg/v3 v3.259.0 declares go 1.25.11).
MIN_GO=$(awk '$1 == "go" { print $2; exit }' "$module_dir/go.mod")
[[ $MIN_GO =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]] || {
	printf 'pulumi-engine: cannot read the go version from %s\n' "$module_dir/go.mod" >&2
	exit 2
}

# How both binaries are built, stated once: the build uses these and the cache key hashes them.
GO_BUILD_ENV=(CGO_ENABLED=0)
GO_BUILD_FLAGS=(-trimpath -tags 'osusergo,grpcnotrace')
# Without the version stamp the Automation API's version check fails.
PULUMI_LDFLAGS="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$ENGINE_VERSION"
HOST_LDFLAGS="-X main.version=$ENGINE_VERSION"
cache_root=${MAILPOLICY_ENGINE_CACHE:-${HOME:?HOME is not set}/.cache/mailpolicy/engine}
mkdir -p "$cache_root"
cache_root=$(cd "$cache_root" && pwd)
version_dir=$cache_root/v$ENGINE_VERSION
bin_link=$version_dir/bin
pulumi_home=$cache_root/pulumi-home

log() { printf 'pulumi-engine: %s\n' "$*" >&2; }

usage() {
	cat <<EOF
usage: scripts/pulumi-engine.sh [--env]

Prints the directory holding \`pulumi\` and \`pulumi-language-nodejs\` (last line of stdout),
building them from Go modules into the cache when no compatible pair is on PATH.
  --env    print export lines instead: PULUMI_SKIP_UPDATE_CHECK, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION,
           PULUMI_HOME (under the cache) and PATH
Environment: MAILPOLICY_ENGINE_CACHE (default \$HOME/.cache/mailpolicy/engine),
             MAILPOLICY_ENGINE_IGNORE_PATH=1 (always use/build the cached engine).
EOF
}

mode=path
case "${1:-}" in
"") ;;
--env) mode="env" ;;
-h | --help)
	usage
	exit 0
	;;
*)
	usage >&2
	exit 2
	;;
esac

# First x.y.z in the input.
semver_of() { grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1; }

compatible() {
	local major minor rest
	IFS=. read -r major minor rest <<<"$1"
	[[ $major == "$MIN_MAJOR" && $minor =~ ^[0-9]+$ && $minor -ge $MIN_MINOR ]]
}

# Step 1: a compatible pair on PATH. Sets bin_dir.
from_path() {
	[[ ${MAILPOLICY_ENGINE_IGNORE_PATH:-} == 1 ]] && return 1
	local p l pv lv
	p=$(command -v pulumi) || return 1
	l=$(command -v pulumi-language-nodejs) || return 1
	# Our own cache on PATH (from an earlier run) goes through the cache check below instead.
	case $p in "$cache_root"/*) return 1 ;; esac
	# `timeout`: a `pulumi` shim (like the npm package's) may try to download the CLI and hang.
	pv=$(PULUMI_SKIP_UPDATE_CHECK=true timeout 60 "$p" version 2>/dev/null </dev/null | semver_of) || true
	lv=$(timeout 60 "$l" -version 2>/dev/null </dev/null | semver_of) || true
	if [[ -z $pv || -z $lv ]]; then
		log "ignoring $p / $l on PATH: could not read their versions"
		return 1
	fi
	if ! compatible "$pv" || ! compatible "$lv"; then
		log "ignoring pulumi $pv ($p) / pulumi-language-nodejs $lv ($l) on PATH: need $MIN_MAJOR.x, x >= $MIN_MINOR"
		return 1
	fi
	bin_dir=$(dirname "$p")
	log "using pulumi $pv and pulumi-language-nodejs $lv from PATH ($bin_dir)"
}

# What the cached build depends on: a different key means the cache is stale.
cache_key() {
	{
		echo "version=$ENGINE_VERSION"
		echo "env=${GO_BUILD_ENV[*]}"
		echo "flags=${GO_BUILD_FLAGS[*]}"
		echo "pulumi-ldflags=$PULUMI_LDFLAGS"
		echo "host-ldflags=$HOST_LDFLAGS"
		(cd "$module_dir" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort |
			while IFS= read -r f; do
				printf '%s ' "$f"
				sha256sum <"$f"
			done)
	} | sha256sum | cut -c1-16
}

cache_state() { # prints ok | stale | missing
	if [[ -x $bin_link/pulumi && -x $bin_link/pulumi-language-nodejs && -f $bin_link/.engine-key ]]; then
		if [[ $(cat "$bin_link/.engine-key") == "$key" ]]; then echo ok; else echo stale; fi
	else
		echo missing
	fi
}

# x.y.z -> a number that orders like the version (a missing z is 0).
version_number() {
	local major minor patch
	IFS=. read -r major minor patch <<<"$1"
	echo $((10#$major * 1000000 + 10#$minor * 1000 + 10#${patch:-0}))
}

go_ok() {
	command -v go >/dev/null 2>&1 || return 1
	local v
	v=$(go env GOVERSION 2>/dev/null) || return 1 # go1.26.8, go1.26rc1, go1.25.11-X:foo
	[[ $v =~ ^go([0-9]+\.[0-9]+(\.[0-9]+)?) ]] || return 1
	(($(version_number "${BASH_REMATCH[1]}") >= $(version_number "$MIN_GO")))
}

install_hint() {
	cat >&2 <<EOF
pulumi-engine: cannot provide the Pulumi engine:
  - no compatible \`pulumi\` + \`pulumi-language-nodejs\` on PATH (need $MIN_MAJOR.x with x >= $MIN_MINOR),
  - no usable build in $bin_link,
  - and no Go >= $MIN_GO to build one$( command -v go >/dev/null 2>&1 && printf ' (found %s)' "$(go env GOVERSION 2>/dev/null || echo 'an unreadable go')").
Install ONE of:
  a) Go >= $MIN_GO on PATH (the Go toolchain tarball unpacked to /usr/local/go, then
     PATH=/usr/local/go/bin:\$PATH), with the Go module proxy reachable; then re-run this script.
     It builds pulumi v$ENGINE_VERSION and the language host from scripts/engine (several minutes, once).
  b) The Pulumi CLI $MIN_MAJOR.$MIN_MINOR or newer ($MIN_MAJOR.x) with its pulumi-language-nodejs, both on PATH.
Running programs and policy packs also needs Node.js >= 22 (\`node\` on PATH).
EOF
	exit 2
}

# Check that scripts/engine/go.mod restates the replace directives of pkg/go.mod and sdk/go.mod at
# the pinned tag (local-path replaces excepted): `go install` of the CLI fails without them.
replaces_of() { # go.mod file -> "old[ ver] => new ver" lines, local targets dropped
	awk '
		/^replace[ \t]*\($/ { inblock = 1; next }
		inblock && /^\)/ { inblock = 0; next }
		/^replace[ \t]/ { sub(/^replace[ \t]+/, ""); print; next }
		inblock && NF { print }
	' "$1" | sed -e 's|//.*||' -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//' |
		awk -F' => ' 'NF == 2 && $2 !~ /^[.\/]/' | LC_ALL=C sort -u
}

check_replaces() {
	local mod want have missing=""
	have=$(replaces_of go.mod)
	for mod in github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3; do
		local gomod
		gomod=$(go list -m -f '{{.GoMod}}' "$mod") || return 1
		[[ $(go list -m -f '{{.Version}}' "$mod") == "v$ENGINE_VERSION" ]] || {
			log "scripts/engine/go.mod requires $mod $(go list -m -f '{{.Version}}' "$mod"), not v$ENGINE_VERSION"
			return 1
		}
		while IFS= read -r want; do
			[[ -z $want ]] && continue
			grep -qxF -- "$want" <<<"$have" || missing+="  replace $want   (from $mod@v$ENGINE_VERSION)"$'\n'
		done < <(replaces_of "$gomod")
	done
	if [[ -n $missing ]]; then
		log "scripts/engine/go.mod lacks replace directives of the pinned Pulumi modules:"
		printf '%s' "$missing" >&2
		return 1
	fi
}

build() {
	mkdir -p "$version_dir/builds"
	local lock_fd
	if command -v flock >/dev/null 2>&1; then
		exec {lock_fd}>"$version_dir/.lock"
		if ! flock -n "$lock_fd"; then
			log "another build is running; waiting for it"
			flock "$lock_fd"
		fi
		# It may have built what we need.
		[[ $(cache_state) == ok ]] && return 0
	fi

	local work start end
	work=$(mktemp -d "$version_dir/builds/.tmp.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$work'" EXIT
	start=$(date +%s)
	log "building pulumi v$ENGINE_VERSION and pulumi-language-nodejs into $bin_link (a cold build takes several minutes)"
	(
		cd "$work"
		mkdir src out
		cp "$module_dir/go.mod" "$module_dir/go.sum" src/
		cp -R "$module_dir/cmd" src/
		cd src
		export "${GO_BUILD_ENV[@]}" GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
		log "go: $(go env GOVERSION), GOMODCACHE=$(go env GOMODCACHE), GOCACHE=$(go env GOCACHE)"
		# No `go mod download`: it asks for .info files, and the proxy here refuses some of those
		# (e.g. gocloud.dev's pseudo-version) while serving the .mod and .zip that a build needs.
		check_replaces
		log "downloading modules and compiling pulumi (the long part)"
		go build "${GO_BUILD_FLAGS[@]}" -ldflags "$PULUMI_LDFLAGS" -o ../out/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
		log "compiling pulumi-language-nodejs"
		go build "${GO_BUILD_FLAGS[@]}" -ldflags "$HOST_LDFLAGS" -o ../out/pulumi-language-nodejs ./cmd/pulumi-language-nodejs
		local pv lv
		pv=$(PULUMI_SKIP_UPDATE_CHECK=true ../out/pulumi version </dev/null)
		lv=$(../out/pulumi-language-nodejs -version </dev/null)
		[[ $pv == "v$ENGINE_VERSION" && $lv == "$ENGINE_VERSION" ]] || {
			log "built binaries report versions '$pv' / '$lv', expected v$ENGINE_VERSION"
			exit 1
		}
		echo "$key" >../out/.engine-key
	) >&2

	# Switch in atomically: out -> builds/<key>, then rename a fresh symlink over bin.
	local final=$version_dir/builds/$key
	rm -rf "$final"
	mv "$work/out" "$final"
	if [[ -e $bin_link && ! -L $bin_link ]]; then
		mv "$bin_link" "$work/old-bin" # a plain directory from elsewhere: move it aside
	fi
	ln -sfn "builds/$key" "$work/bin.new"
	mv -T "$work/bin.new" "$bin_link"
	# Older builds are no longer referenced (running processes keep their open files).
	find "$version_dir/builds" -mindepth 1 -maxdepth 1 ! -name "$key" ! -name '.tmp.*' -exec rm -rf {} +
	rm -rf "$work"
	trap - EXIT
	end=$(date +%s)
	log "built in $((end - start))s"
}

bin_dir=""
if ! from_path; then
	key=$(cache_key)
	state=$(cache_state)
	case $state in
	ok) log "using cached build in $bin_link" ;;
	*)
		if go_ok; then
			[[ $state == stale ]] && log "cached build in $bin_link is out of date; rebuilding"
			build
		elif [[ $state == stale ]]; then
			log "warning: cached build in $bin_link is out of date, and there is no Go >= $MIN_GO to rebuild it; using it anyway"
		else
			install_hint
		fi
		;;
	esac
	bin_dir=$bin_link
fi

if [[ $mode == env ]]; then
	mkdir -p "$pulumi_home"
	printf 'export PULUMI_SKIP_UPDATE_CHECK=true\n'
	printf 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true\n'
	printf 'export PULUMI_HOME=%q\n' "$pulumi_home"
	# shellcheck disable=SC2016 # $PATH is expanded by the shell that evals this
	printf 'export PATH=%q:"$PATH"\n' "$bin_dir"
else
	printf '%s\n' "$bin_dir"
fi
