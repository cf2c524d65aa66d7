#!/usr/bin/env bash
# Refresh the extension's message catalogs after its translatable strings change:
# re-extract the template, merge it into every language's .po, and compile the .mo files.
#
#   scripts/update-translations.sh             # all languages under sphinxcontrib_feed/locales
#   scripts/update-translations.sh --init xx   # also start a catalog for a new language xx
#
# Needs Babel's ``pybabel`` (installed with the extension). After running, translate any
# new or fuzzy entries in the .po files and run the script again to compile them.
set -euo pipefail

cd "$(dirname "$0")/.."
package=sphinxcontrib_feed
locales="$package/locales"
domain=sphinxcontrib-feed
pot="$locales/$domain.pot"

pybabel extract -k _ -k __ --no-default-keywords --sort-by-file \
    --project sphinxcontrib-feed --copyright-holder "the sphinxcontrib-feed developers" \
    -o "$pot" "$package"

if [[ "${1:-}" == "--init" ]]; then
    pybabel init -i "$pot" -d "$locales" -D "$domain" -l "${2:?usage: $0 --init LANGUAGE}"
fi

for po in "$locales"/*/LC_MESSAGES/"$domain".po; do
    language=$(basename "$(dirname "$(dirname "$po")")")
    pybabel update -i "$pot" -d "$locales" -D "$domain" -l "$language" --ignore-obsolete
done

pybabel compile -d "$locales" -D "$domain" --statistics
