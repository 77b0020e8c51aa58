# shellcheck shell=bash
# Sourced by the simulated torchrun: the static rendezvous of `torchrun --nnodes N --node_rank R
# --master_addr A --master_port P` across simulated DevServers. Rank 0 hosts the store at port P;
# every other node connects to A:P and joins as its rank; training starts once all N are in.
# The store is a folder in $QVL_SIM_NETWORK (shared by the simulated servers of one test run,
# standing for the cluster's network): store-P/ holds the master's pid and NNODES, and one
# rank-R entry per joined node. Torch's stores wait 900 s; the simulation waits
# $rendezvous_timeout. Whatever would never complete for real (a master at an address this
# machine is not, a different NNODES, a rank taken twice) is a node that never joins, so it ends
# in the timeouts torch reports.

rendezvous_timeout=15

# Simulated DevServers all run on this machine: only its own names reach a store.
reachable() {
  case $1 in 127.0.0.1 | localhost | ::1 | "$(hostname)") return 0 ;; *) return 1 ;; esac
}

# The store folder when its master still runs (a killed master leaves a stale one).
live_store() {
  local pid
  pid=$(cat "$1/pid" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

rendezvous_failed() {
  printf '%s\n' "$1" >&2
  echo "ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: 1) local_rank: 0 (pid: $$) of binary: /home/ma-user/anaconda3/envs/PyTorch-2.1.0/bin/python" >&2
  exit 1
}

# rendezvous NNODES NODE_RANK MASTER_ADDR MASTER_PORT: returns once every node joined.
rendezvous() {
  local nnodes=$1 rank=$2 addr=$3 port=$4 store deadline joined
  [ "$nnodes" -gt 1 ] || return 0
  store=${QVL_SIM_NETWORK:?QVL_SIM_NETWORK is not set: no simulated cluster network}/store-$port
  deadline=$((SECONDS + rendezvous_timeout))
  if [ "$rank" = 0 ]; then
    if ! mkdir "$store" 2>/dev/null; then
      live_store "$store" && rendezvous_failed "torch.distributed.DistNetworkError: The server socket has failed to listen on any local network address. The server socket has failed to bind to [::]:$port (errno: 98 - Address already in use)."
      if ! { rm -rf "$store" && mkdir "$store"; }; then rendezvous_failed "simulated torchrun: cannot create the store $store"; fi
    fi
    # shellcheck disable=SC2064 # the path is fixed now
    trap "rm -rf '$store'" EXIT
    echo "$nnodes" >"$store/nnodes.$$" && echo $$ >"$store/pid" && mv "$store/nnodes.$$" "$store/nnodes"
    while joined=$(find "$store" -maxdepth 1 -name 'rank-*' | wc -l) && [ "$joined" -lt $((nnodes - 1)) ]; do
      [ "$SECONDS" -lt "$deadline" ] || rendezvous_failed "torch.distributed.DistStoreError: Timed out after $rendezvous_timeout seconds waiting for clients. $((joined + 1))/$nnodes clients joined."
      sleep 0.2
    done
    return 0
  fi
  local client_timeout="torch.distributed.DistNetworkError: The client socket has timed out after ${rendezvous_timeout}s while trying to connect to ($addr, $port)."
  if reachable "$addr"; then
    until [ -f "$store/nnodes" ] && live_store "$store"; do
      [ "$SECONDS" -lt "$deadline" ] || rendezvous_failed "$client_timeout"
      sleep 0.2
    done
    [ "$(cat "$store/nnodes")" = "$nnodes" ] && mkdir "$store/rank-$rank" 2>/dev/null && return 0
    client_timeout="torch.distributed.DistStoreError: Timed out after $rendezvous_timeout seconds waiting for the rendezvous at $addr:$port (simulated: NNODES $nnodes here, $(cat "$store/nnodes") at the master, or rank $rank joined twice)."
  fi
  sleep $((deadline - SECONDS > 0 ? deadline - SECONDS : 0))
  rendezvous_failed "$client_timeout"
}
