#!/bin/sh
# Build Sharewise's front end from the npm packages into the Python package.
#
# The output is committed, so that `sharewise serve` needs neither Node nor npm: run this
# script (after `npm ci`) only when govuk-frontend, sass or frontend/sharewise.scss change,
# and commit what it writes to src/sharewise/web/static/sharewise/:
#
#   sharewise.min.css                   GOV.UK Frontend compiled with our settings
#   govuk-frontend.min.js               GOV.UK Frontend's ES module, as published
#   assets/images/...                   the images the stylesheet refers to, and no others
#
# sharewise.js in the same folder is written by hand and is not touched here.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
frontend="$root/node_modules/govuk-frontend/dist/govuk"
out="$root/src/sharewise/web/static/sharewise"

if [ ! -d "$frontend" ]; then
  echo "frontend/build.sh: govuk-frontend is not installed: run 'npm ci' first" >&2
  exit 1
fi

mkdir -p "$out"
rm -rf "$out/assets"
rm -f "$out/sharewise.min.css" "$out/govuk-frontend.min.js"

# Dart Sass: GOV.UK Frontend 6 needs its module system and pkg: importer, which libsass
# does not have.
"$root/node_modules/.bin/sass" --pkg-importer=node --style=compressed --no-source-map \
  --quiet-deps "$root/frontend/sharewise.scss" "$out/sharewise.min.css"

# The published script ends with a comment naming its source map. The map is not shipped
# (it is four times the size of the script and helps no user), and Django's manifest
# storage refuses to collect a file that refers to a file that is missing, so the comment
# goes.
sed -e 's|//# sourceMappingURL=[^ ]*$||' "$frontend/govuk-frontend.min.js" \
  > "$out/govuk-frontend.min.js"

# Copy exactly the images the stylesheet refers to (url("assets/images/...")), because
# Django's manifest storage refuses a stylesheet whose url() points at a missing file. The
# pages use none of them today: the one referenced, the Royal Arms, belongs to the footer's
# Crown copyright link, which this service does not show. The crown favicons and GOV.UK
# icons are not copied at all, since this service is not GOV.UK.
grep -o 'url("assets/[^"]*")' "$out/sharewise.min.css" | sed -e 's/^url("//' -e 's/")$//' \
  | sort -u | while read -r asset; do
    mkdir -p "$out/$(dirname "$asset")"
    cp "$frontend/$asset" "$out/$asset"
  done

version=$(node -p "require('$root/node_modules/govuk-frontend/package.json').version")
echo "frontend/build.sh: built GOV.UK Frontend $version into ${out#"$root"/}"

# The accessibility checker the browser tests inject into each page (tests/browser). It is
# committed so that the tests need no npm, and only ever runs inside the test browser.
cp "$root/node_modules/axe-core/axe.min.js" "$root/tests/browser/axe.min.js"
echo "frontend/build.sh: copied axe-core $(node -p "require('$root/node_modules/axe-core/package.json').version") into tests/browser"
