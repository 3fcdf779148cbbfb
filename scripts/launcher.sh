#!/bin/sh
# The `lxtop` command (package.json "bin": dist/lxtop, copied here by scripts/build.mjs): runs the
# cli.js beside it with the node first on PATH, as `#!/usr/bin/env node` would.
#
# Node 20 reads the certificates NODE_EXTRA_CA_CERTS names at every start, before any of lxtop's
# code runs, with the whole bundled root store: ~50 ms of a ~190 ms `lxtop file push` here (V8
# started at 66 ms instead of 14). lxtop needs them only for an HTTPS remote not pinned to its
# server certificate, so they are moved aside to LXTOP_EXTRA_CA_CERTS: src/lxd/tls.ts reads them for
# such a connection, and src/main.ts gives the variable back to whatever lxtop starts.
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
  LXTOP_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export LXTOP_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi
self=$(readlink -f -- "$0")
exec node "${self%/*}/cli.js" "$@"
