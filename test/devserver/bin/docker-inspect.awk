# Rewrites the recorded `docker inspect qwen2vl_train` (a one-element JSON array) into one
# container's object, so the simulated output keeps the real key set, order and layout.
# ENVIRON: NEW_ID; SCALARS, lines "DEPTH KEY<TAB>JSON" replacing the value of KEY at that
# indentation; ARRAY_<Key>, the already indented elements of that array ("" = empty);
# NETWORK, the name under NetworkSettings.Networks.

BEGIN {
  count = split(ENVIRON["SCALARS"], lines, "\n")
  for (i = 1; i <= count; i++) {
    tab = index(lines[i], "\t")
    scalar[substr(lines[i], 1, tab - 1)] = substr(lines[i], tab + 1)
  }
  split("Args Binds Cmd Devices Env Mounts", names, " ")
  for (i in names) is_array[names[i]] = 1
}

function print_array(comma,  body) {
  body = ENVIRON["ARRAY_" key]
  if (body == "") print prefix (key == "Binds" ? "null" : "[]") comma
  else printf "%s[\n%s\n%" depth "s]%s\n", prefix, body, "", comma
}

# The outer "[" and "]": the caller joins several objects into one array.
/^[\[\]]$/ { next }

skipping {
  if ($0 ~ /^ *\],?$/ && index($0, "]") == depth + 1) {
    print_array($0 ~ /,$/ ? "," : "")
    skipping = 0
  }
  next
}

match($0, /^ *"[A-Za-z]+": /) {
  prefix = substr($0, 1, RLENGTH)
  rest = substr($0, RLENGTH + 1)
  depth = index($0, "\"") - 1
  key = substr(prefix, depth + 2)
  key = substr(key, 1, index(key, "\"") - 1)
  comma = $0 ~ /,$/ ? "," : ""
  if (depth == 8 && key == "Id") {
    old_id = substr(rest, 2, 64)
    old_short = substr(old_id, 1, 12)
  }
  if ((depth " " key) in scalar) {
    print prefix scalar[depth " " key] comma
    next
  }
  if ((key in is_array) && rest ~ /^\[/) {
    # A multi-line array is replaced once its closing line, which carries the comma, is seen.
    if (rest ~ /\]/) print_array(comma)
    else skipping = 1
    next
  }
  if (depth == 16 && key == "bridge") sub(/"bridge"/, "\"" ENVIRON["NETWORK"] "\"")
}

{
  if (old_id != "") {
    gsub(old_id, ENVIRON["NEW_ID"])
    gsub(old_short, substr(ENVIRON["NEW_ID"], 1, 12))
  }
  print
}
