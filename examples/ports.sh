# Sourced by the example scripts.

# free_port: a TCP port on 127.0.0.1 nothing listens on, below the
# ephemeral range that clients' own connections take.
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % 22000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
