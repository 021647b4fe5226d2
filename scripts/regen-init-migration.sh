#!/usr/bin/env bash
# Development helper (before the first release only): rebuilds the initial
# migration from the schema plus prisma/init-extra.sql.
set -euo pipefail
cd "$(dirname "$0")/.."
F=prisma/migrations/20261125000000_init/migration.sql
npx prisma migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma --script > "$F.tmp"
{ cat "$F.tmp"; echo; cat prisma/init-extra.sql; } > "$F"
rm "$F.tmp"
