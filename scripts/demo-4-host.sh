#!/usr/bin/env bash
# Demo part 4: a guest calls the host through sdn_host. Deny by default: it gets nothing until
# the embedder grants it, and never more than its manifest declares.
set -euo pipefail
cli=${1:?usage: demo-4-host.sh PATH/TO/space-data-module}
root=$(cd "$(dirname "$0")/.." && pwd)
example="$root/examples/host-proxy"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

call() { # call OPERATION PARAMS [invoke flags...]: prints the envelope the guest got back
  local operation=$1 params=$2
  shift 2
  printf '%s\n%s' "$operation" "$params" > "$work/request.txt"
  rm -f "$work/envelope.json"
  "$cli" invoke "$work/host-proxy.wasm" --allow-unsigned --method call --input-port request \
    --input "$work/request.txt" -o "$work/envelope.json" "$@" || true
  printf '   %s %s -> %s\n' "$operation" "$params" "$(cat "$work/envelope.json")"
}

echo "== 1. compile examples/host-proxy (imports sdn_host; declares clock, random, schedule_cron, filesystem, process_exec)"
"$cli" compile --manifest "$example/manifest.json" --source "$example/module.c" \
  --allow-undefined-imports -o "$work/host-proxy.wasm"

echo "== 2. no policy: every capability is denied"
call clock.now ""

echo "== 3. --grant clock: the call runs"
call clock.now "" --grant clock

echo "== 4. filesystem confined to a root; escapes are refused; returned paths are relative"
mkdir -p "$work/sandbox"
call filesystem.writeFile '{"path":"notes/hello.txt","value":"hi"}' --grant filesystem --fs-root "$work/sandbox"
echo "   on disk: $(cat "$work/sandbox/notes/hello.txt")"
ln -s /etc "$work/sandbox/etc-link"
call filesystem.readFile '{"path":"etc-link/hostname"}' --grant filesystem --fs-root "$work/sandbox"
call filesystem.readFile '{"path":"../outside"}' --grant filesystem --fs-root "$work/sandbox"

echo "== 5. a grant the manifest does not declare is not given (tcp)"
call tcp.request '{"host":"127.0.0.1","port":9,"data":"x"}' --grant tcp

echo "== 6. a policy file: exec of an allow-listed command, with no inherited environment"
cat > "$work/policy.json" <<POLICY
{"grant": ["process_exec"], "filesystemRoot": "$work/sandbox",
 "exec": {"allowedCommands": ["/usr/bin/env"]}}
POLICY
call exec.execFile '{"file":"/usr/bin/env"}' --host-policy "$work/policy.json"
call exec.execFile '{"file":"/bin/sh","args":["-c","id"]}' --host-policy "$work/policy.json"
