# Storage and output formatting for the simulated docker. Images are lines of images.tsv
# (repository, tag, 64-hex id, created ns); each container is a file under containers/ named by
# its id, with "key<TAB>value" lines (device, mount, arg and env repeat).

images=$sim_state/images.tsv
containers=$sim_state/containers

# The pull recorded in docker-pull-notty.txt / docker-pull-tty-ansi.txt; replays swap in the
# requested reference. Every simulated image is that stand-in, hence one size for all.
fixture_repo_path=atelier/pytorch_2_1_ascend
fixture_tag=pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b
image_size=96.4MB
image_virtual_size=96.35MB

daemon_down='Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'

require_daemon() {
  if [ "$(sim_get dockerDaemon up)" = down ]; then
    echo "$daemon_down" >&2
    exit 1
  fi
}

random_id() {
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

now_ns() {
  date +%s%N
}

# Docker marshals with Go's encoding/json, which also escapes <, > and & ("\u003cnone\u003e").
json_string() {
  local s=$1
  s=${s//\\/"\\\\"}
  s=${s//\"/"\\\""}
  s=${s//$'\t'/"\\t"}
  s=${s//$'\n'/"\\n"}
  s=${s//</"\\u003c"}
  s=${s//>/"\\u003e"}
  s=${s//&/"\\u0026"}
  printf '"%s"' "$s"
}

# go-units HumanDuration, which docker uses for "Up 5 seconds" and "2 hours ago".
human_duration() {
  local seconds=$1 hours
  if ((seconds < 1)); then echo 'Less than a second'
  elif ((seconds == 1)); then echo '1 second'
  elif ((seconds < 60)); then echo "$seconds seconds"
  elif ((seconds / 60 == 1)); then echo 'About a minute'
  elif ((seconds / 60 < 60)); then echo "$((seconds / 60)) minutes"
  else
    hours=$(((seconds + 1800) / 3600))
    if ((hours == 1)); then echo 'About an hour'
    elif ((hours < 48)); then echo "$hours hours"
    elif ((hours < 24 * 14)); then echo "$((hours / 24)) days"
    elif ((hours < 24 * 60)); then echo "$((hours / 24 / 7)) weeks"
    elif ((hours < 24 * 365 * 2)); then echo "$((hours / 24 / 30)) months"
    else echo "$((seconds / 3600 / 24 / 365)) years"
    fi
  fi
}

since_ns() {
  human_duration $((($(now_ns) - $1) / 1000000000))
}

# "2026-11-28 03:02:26 +0000 UTC", in the host's zone like the real CLI.
local_time() {
  date -d "@$(($1 / 1000000000))" '+%Y-%m-%d %H:%M:%S %z %Z'
}

iso_time() {
  if [ -z "$1" ]; then
    echo '0001-01-01T00:00:00Z'
  else
    printf '%s.%sZ\n' "$(date -u -d "@$(($1 / 1000000000))" +%Y-%m-%dT%H:%M:%S)" "${1: -9}"
  fi
}

# Go's Ellipsis: at most WIDTH characters, the last one "…" when cut.
ellipsis() {
  if [ "${#1}" -le "$2" ]; then printf '%s' "$1"; else printf '%s…' "${1:0:$(($2 - 1))}"; fi
}

# TSV on stdin to docker's table: text/tabwriter with minwidth 10 and padding 3, widths in
# characters, the last column unpadded.
tabulate() {
  awk -F'\t' '
    function width(s,  t) { t = s; return length(s) - gsub(/[\200-\277]/, "", t) }
    { row[NR] = $0; if (NF > columns) columns = NF
      for (i = 1; i < NF; i++) if (width($i) + 3 > w[i]) w[i] = width($i) + 3 }
    END {
      for (r = 1; r <= NR; r++) {
        n = split(row[r], cell, "\t"); line = ""
        for (i = 1; i < n; i++) line = line cell[i] sprintf("%" ((w[i] < 10 ? 10 : w[i]) - width(cell[i])) "s", "")
        print line cell[n]
      }
    }'
}

# --format support: fields["{{.Name}}"] holds a placeholder's text, json["Name"] the value
# "{{json .}}" prints. Real templates are Go's; these are the forms the app and tests use.
declare -A fields json

field() {
  fields["{{.$1}}"]=$2
  json[$1]=$(json_string "$2")
}

render() {
  local format=$1 out key
  if [ "$format" = '{{json .}}' ]; then
    out=''
    while IFS= read -r key; do out+=",\"$key\":${json[$key]}"; done < <(printf '%s\n' "${!json[@]}" | LC_ALL=C sort)
    printf '{%s}\n' "${out#,}"
    return
  fi
  out=$format
  for key in "${!fields[@]}"; do out=${out//"$key"/"${fields[$key]}"}; done
  case $out in *'{{'*) sim_unsupported --format "$format" ;; esac
  printf '%s\n' "$out"
}

load_container() {
  c=() devices=() mounts=() args=() envs=()
  local key value
  while IFS=$'\t' read -r key value; do
    case $key in
      device) devices+=("$value") ;;
      mount) mounts+=("$value") ;;
      arg) args+=("$value") ;;
      env) envs+=("$value") ;;
      *) c[$key]=$value ;;
    esac
  done <"$1"
}

save_container() {
  local file=$sim_state/.container.$$ key item
  {
    for key in "${!c[@]}"; do printf '%s\t%s\n' "$key" "${c[$key]}"; done
    for item in "${devices[@]}"; do printf 'device\t%s\n' "$item"; done
    for item in "${mounts[@]}"; do printf 'mount\t%s\n' "$item"; done
    for item in "${args[@]}"; do printf 'arg\t%s\n' "$item"; done
    for item in "${envs[@]}"; do printf 'env\t%s\n' "$item"; done
  } >"$file"
  # Written beside the store so listings never see a half-written file.
  mv -f "$file" "$containers/${c[id]}"
}

declare -A c
devices=() mounts=() args=() envs=()

# Container files, newest first like `docker ps`.
container_files() {
  local files=("$containers"/*)
  [ -e "${files[0]}" ] || return 0
  awk -F'\t' '$1 == "created" { print $2 "\t" FILENAME }' "${files[@]}" | sort -rn | cut -f2
}

# find_container REF: loads the container with that name, id or unique id prefix.
find_container() {
  local file matches=()
  [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || return 1
  while IFS= read -r file; do
    load_container "$file"
    [ "${c[name]}" = "$1" ] && return 0
  done < <(container_files)
  [[ $1 =~ ^[0-9a-f]+$ ]] || return 1
  for file in "$containers/$1"*; do [ -f "$file" ] && matches+=("$file"); done
  [ ${#matches[@]} -eq 1 ] || return 1
  load_container "${matches[0]}"
}

# split_ref REF: ref_repo and ref_tag ("latest" when none; a registry port is no tag).
split_ref() {
  ref_repo=$1
  ref_tag=latest
  if [[ ${1##*/} == *:* ]]; then
    ref_repo=${1%:*}
    ref_tag=${1##*:}
  fi
}

# find_image REF: by repository[:tag], or by id ("sha256:" optional, 4+ hex digits).
find_image() {
  local repo tag id created
  split_ref "$1"
  [ -f "$images" ] || return 1
  while IFS=$'\t' read -r repo tag id created; do
    if { [ "$repo" = "$ref_repo" ] && [ "$tag" = "$ref_tag" ]; } ||
      { [[ $1 =~ ^(sha256:)?[0-9a-f]{4,64}$ ]] && [[ $id == "${1#sha256:}"* ]]; }; then
      image_repo=$repo image_tag=$tag image_id=$id
      return 0
    fi
  done <"$images"
  return 1
}
