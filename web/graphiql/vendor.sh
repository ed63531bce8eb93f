#!/usr/bin/env bash
# Vendors GraphiQL: installs the versions package-lock.json pins (npm ci)
# and copies their browser builds into assets/, which the binary embeds, so
# that GraphiQL loads with no network. The copies are byte for byte the
# packages' files; `make graphiql` runs this, and a test checks that the
# committed assets are what it makes. Needs Node.js and npm.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
rm -rf assets
mkdir assets
cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css assets/
cp node_modules/react/umd/react.production.min.js node_modules/react-dom/umd/react-dom.production.min.js assets/
for p in graphiql react react-dom; do
  cp "node_modules/$p/LICENSE" "assets/LICENSE.$p"
done
