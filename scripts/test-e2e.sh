#!/usr/bin/env bash
# npm run test:e2e: builds the dashboard, then runs the browser suite (tests/e2e) against a real
# salescast server in Debian's Chromium. Extra arguments go to vitest (e.g. -t "Predict").
# UPDATE_SCREENSHOTS=1 also refreshes docs/screenshots/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${SALESCAST_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "test:e2e needs Chromium at $chromium: install it with 'apt-get install chromium' (Debian), or set SALESCAST_CHROMIUM." >&2
  exit 1
fi

# The suite serves dist/web, so it always tests the dashboard as built from the current sources.
npx vite build --config web/vite.config.ts --logLevel warn
exec npx vitest run --config tests/e2e/vitest.config.ts "$@"
