# Sourced by every simulated DevServer command. Switches and state live in plain files under
# $QVL_SIM_STATE, so a test can flip a switch between two commands and several simulated hosts
# never share anything.

sim_home=$(dirname "$(readlink -f "$0")")
# Same relative layout in the repo (test/devserver/bin -> test/fixtures) and in a server's copy.
sim_fixtures=$sim_home/../../fixtures
sim_state=${QVL_SIM_STATE:?QVL_SIM_STATE is not set: run this inside a simulated DevServer session}

# sim_get NAME DEFAULT: the current value of a switch or state file.
sim_get() {
  if [ -f "$sim_state/$1" ]; then cat "$sim_state/$1"; else printf '%s\n' "$2"; fi
}

# sim_set NAME VALUE: replace atomically, so a concurrent reader never sees a half-written file.
sim_set() {
  printf '%s\n' "$2" >"$sim_state/$1.$$" && mv -f "$sim_state/$1.$$" "$sim_state/$1"
}

# Serialises commands that read-modify-write state (two `docker run --name x` at once).
sim_lock() {
  exec 9>>"$sim_state/.lock"
  flock 9
}

# fixture_output FILE: a whole fixture minus its leading "# source:" line.
fixture_output() {
  tail -n +2 "$sim_fixtures/$1"
}

# fixture_block FILE HEADER: the lines recorded under the exact line HEADER, up to the next
# command ("$ "), comment ("#") or exit status ("rc=") line.
fixture_block() {
  HEADER=$2 awk 'found && /^(\$ |#|rc=)/ { exit } found { print } $0 == ENVIRON["HEADER"] { found = 1 }' "$sim_fixtures/$1"
}

# Says plainly that the simulator lacks a feature, so a test never mistakes it for a real error.
sim_unsupported() {
  printf '%s (simulated): unsupported arguments: %s\n' "$(basename "$0")" "$*" >&2
  exit 2
}
