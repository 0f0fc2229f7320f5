#!/usr/bin/env bash
# Refresh static/vendor/ from the npm packages pinned in package.json / package-lock.json.
# The copied files are committed, so `make run` needs no Node; run this (`make vendor`) only
# after changing a version. Source maps are copied too: collectstatic with manifest storage
# fails on a .min file whose sourceMappingURL points at a missing map.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts
else
  npm install --no-audit --no-fund --ignore-scripts --save-exact
fi

dest=static/vendor
rm -rf "$dest"
mkdir -p "$dest"

files=(
  node_modules/bootstrap/dist/css/bootstrap.min.css
  node_modules/bootstrap/dist/css/bootstrap.rtl.min.css
  node_modules/bootstrap/dist/js/bootstrap.bundle.min.js
  node_modules/htmx.org/dist/htmx.min.js
  node_modules/chart.js/dist/chart.umd.min.js
)
for f in "${files[@]}"; do
  cp "$f" "$dest/"
  # Copy the source map the file names, if it names one.
  map=$(grep -o 'sourceMappingURL=[^ *]*' "$f" | tail -n1 | cut -d= -f2 || true)
  if [ -n "$map" ]; then
    cp "$(dirname "$f")/$map" "$dest/"
  fi
done

for pkg in bootstrap htmx.org chart.js; do
  version=$(node -p "require('./node_modules/$pkg/package.json').version")
  echo "$pkg $version" >>"$dest/VERSIONS"
done
echo "Vendored into $dest:"
ls -1 "$dest"
