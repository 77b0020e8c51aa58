#!/bin/sh
# Creates the simulated DevServer's login user once and prints its uid and gid. Runs under
# flock because several test workers may start servers at the same moment.
# Usage: provisionUser.sh USER PASSWORD
set -eu
user=$1
password=$2

id -u "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
printf '%s:%s\n' "$user" "$password" | chpasswd

# Debian's /etc/profile resets PATH for login shells (`bash -lc`), so the user's own startup
# files put the server's simulated commands (sshd SetEnv QVL_SIM_BIN) back in front.
marker='# qvl-sim: simulated DevServer commands first'
home=$(getent passwd "$user" | cut -d: -f6)
for file in "$home/.profile" "$home/.bashrc"; do
  if ! grep -qF "$marker" "$file" 2>/dev/null; then
    cat >>"$file" <<'EOF'
# qvl-sim: simulated DevServer commands first
if [ -n "${QVL_SIM_BIN:-}" ]; then
  case ":$PATH:" in
    ":$QVL_SIM_BIN:"*) ;;
    *) PATH="$QVL_SIM_BIN:$PATH"; export PATH ;;
  esac
fi
EOF
  fi
done

id -u "$user"
id -g "$user"
