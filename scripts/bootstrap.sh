#!/usr/bin/env bash
# Make .venv on a fresh machine: the system tools dockersim needs (installed with apt-get when
# we are root, otherwise named), then the Python packages.
set -euo pipefail
VENV=${1:-.venv}
log() { echo "bootstrap: $*" >&2; }

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
# a CJK font Graphviz can measure, for figures in Chinese (--lang zh)
{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || missing+=(fonts-wqy-microhei)
static_busybox() {
  local bb; bb=$(command -v busybox 2>/dev/null) || return 1
  ! ldd "$bb" >/dev/null 2>&1
}
static_busybox || missing+=(busybox-static)
# PRoot gives the process tier (no user namespaces, as in a JupyterHub pod) a real root
command -v proot >/dev/null 2>&1 || missing+=(proot)
PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PY=$(command -v "$candidate"); break
  fi
done
[ -n "$PY" ] || missing+=(python3 python3-venv)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]}"
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  else
    log "missing system packages: ${missing[*]}"
    log "  graphviz:       figures are skipped without it (commands still work)"
    log "  busybox-static: 'pull busybox' copies the host's shell and tools instead"
    log "  proot:          without it, the process tier's absolute paths are the host's"
    log "  fonts-wqy-microhei: Chinese figures (--lang zh) show boxes instead of characters"
    log "install them with: sudo apt-get install ${missing[*]}"
  fi
fi
if [ -z "$PY" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { PY=$(command -v "$candidate"); break; }
  done
fi
[ -n "$PY" ] || { log "dockersim needs Python >= 3.11"; exit 1; }

# The venv's own interpreter is what we call later: it starts fast (no shim in front).
"$PY" -m venv "$VENV"
# compat mode: a plain path entry instead of an import hook, so every start stays fast
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
# pip's bin/dockersim lets `site` find the package; ours starts without it (see launcher.py)
"$VENV/bin/python" scripts/launcher.py "$VENV/bin/dockersim"
# Compile the package now: where PYTHONDONTWRITEBYTECODE is set, every call would compile it again.
"$VENV/bin/python" -m compileall -q simulator >/dev/null
log "ready: $VENV/bin/dockersim"
