#!/usr/bin/env bash
# Runs every check: lint, format, typecheck, then the unit, integration, end-to-end and fuzz tiers.
# Installs and starts what is missing first (infra/local/ensure.sh). Prints pass/fail counts.
# Usage: npm test [-- <tier> ...]   e.g. npm test -- unit int
set -uo pipefail
cd "$(dirname "$0")/.."
bash infra/local/ensure.sh || exit 1
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
RESULTS=.bpane/test-results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

tiers=("$@")
((${#tiers[@]})) || tiers=(unit int e2e fuzz)
failed_steps=()

step() {
  local name=$1; shift
  printf '\n=== %s ===\n' "$name"
  local t0=$SECONDS
  if "$@"; then printf '=== %s: ok (%ss)\n' "$name" $((SECONDS - t0)); else
    printf '=== %s: FAILED (%ss)\n' "$name" $((SECONDS - t0)); failed_steps+=("$name"); fi
}

step build node scripts/build.mjs
step lint npx --no-install eslint --max-warnings=0 .
step format npx --no-install prettier --check --log-level=warn .
step typecheck npx --no-install tsc -p tsconfig.json --noEmit
for tier in "${tiers[@]}"; do
  step "tests:$tier" npx --no-install vitest run --project "$tier" --passWithNoTests \
    --reporter=default --reporter=json --outputFile="$RESULTS/$tier.json"
done

node scripts/test-summary.mjs "$RESULTS" "${failed_steps[@]}"
