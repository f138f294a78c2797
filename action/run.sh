#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml). `build` bundles kzt from the action's own
# checkout (nothing is downloaded but npm packages); `audit` runs it with the inputs, which
# arrive as KZT_* environment variables, writes the report and the step outputs, and exits
# with kzt's code.
set -euo pipefail
repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "${1:-}" in
  build)
    cd "$repository"
    npm ci --ignore-scripts --no-audit --no-fund
    node esbuild.mjs
    ;;
  audit)
    # One path per line when there are several lines (paths may hold spaces), else split at spaces.
    if [[ "${KZT_PATHS:-.}" == *$'\n'* ]]; then mapfile -t paths < <(printf '%s\n' "$KZT_PATHS" | sed '/^[[:space:]]*$/d'); else read -r -a paths <<<"${KZT_PATHS:-.}"; fi
    [ "${#paths[@]}" -gt 0 ] || paths=(.)
    output="${KZT_OUTPUT:-kube-zero-trust.sarif}"
    if [[ "$output" == *$'\n'* ]]; then echo "kzt: the output path has a line break" >&2; exit 2; fi
    args=(audit "${paths[@]}" --format "${KZT_FORMAT:-sarif}" --output "$output" --fail-on "${KZT_FAIL_ON:-warning}")
    [ -z "${KZT_PROFILE:-}" ] || args+=(--profile "$KZT_PROFILE")
    [ -z "${KZT_CONFIG:-}" ] || args+=(--config "$KZT_CONFIG")
    [ -z "${KZT_MAX_FILE_SIZE:-}" ] || args+=(--max-file-size "$KZT_MAX_FILE_SIZE")
    code=0
    node "$repository/dist/cli.js" "${args[@]}" || code=$?
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
      { echo "report=$output"; echo "exit-code=$code"; } >>"$GITHUB_OUTPUT"
    fi
    exit "$code"
    ;;
  *)
    echo "usage: run.sh build|audit" >&2
    exit 2
    ;;
esac
