# Sourced by test-queue.sh: network namespaces that stand for other machines, for the multi-host
# check (tests/queue/multi-host.test.ts). Each namespace gets one end of a veth pair, the root
# namespace the other end, a /30 of 10.213.X.0/24 between them: a process in the namespace
# reaches the root namespace's servers over that link only (its loopback is its own).
#
# netns_setup LABEL COUNT
#   Makes COUNT namespaces and links. On success exports SALESCAST_TEST_NETNS, a JSON array of
#   {"name": namespace, "host": root-side address, "address": namespace-side address}. When the
#   machine does not allow it (not root, no `ip`, a container without CAP_SYS_ADMIN) exports
#   SALESCAST_TEST_NETNS_SKIP with the reason instead, removes anything half made, and returns 0:
#   the test then skips, saying why. Call netns_teardown from an EXIT trap in any case.
# netns_teardown
#   Removes every namespace and link netns_setup made (deleting a namespace deletes its end of
#   the pair, and the pair with it; the root end is deleted too in case the namespace went first).
NETNS_MADE=()
NETNS_LINKS=()

netns_setup() {
  local label="$1" count="$2" octet i ns host_if ns_if host_addr ns_addr json="" why
  if ! command -v ip >/dev/null 2>&1; then
    export SALESCAST_TEST_NETNS_SKIP="the ip command (iproute2) is missing"
    return 0
  fi
  # A /24 nobody on this machine uses (several runs at once pick different ones).
  octet=$(($$ % 200 + 20))
  while ip -o -4 addr show | grep -q " 10\.213\.$octet\."; do octet=$(((octet + 1) % 250 + 1)); done
  for i in $(seq 1 "$count"); do
    ns="sc$$-$i"
    host_if="vsc$$h$i"
    ns_if="vsc$$n$i"
    host_addr="10.213.$octet.$((4 * i - 3))"
    ns_addr="10.213.$octet.$((4 * i - 2))"
    if ! why="$(ip netns add "$ns" 2>&1)"; then
      export SALESCAST_TEST_NETNS_SKIP="\`ip netns add\` is not permitted here ($why): run as root on a machine (or a container with CAP_SYS_ADMIN and CAP_NET_ADMIN) that allows network namespaces"
      netns_teardown
      return 0
    fi
    NETNS_MADE+=("$ns")
    if ! why="$(
      ip link add "$host_if" type veth peer name "$ns_if" netns "$ns" 2>&1 &&
        ip addr add "$host_addr/30" dev "$host_if" 2>&1 &&
        ip link set "$host_if" up 2>&1 &&
        ip -n "$ns" addr add "$ns_addr/30" dev "$ns_if" 2>&1 &&
        ip -n "$ns" link set "$ns_if" up 2>&1 &&
        ip -n "$ns" link set lo up 2>&1
    )"; then
      NETNS_LINKS+=("$host_if")
      export SALESCAST_TEST_NETNS_SKIP="a veth link to the network namespace $ns could not be made ($why)"
      netns_teardown
      return 0
    fi
    NETNS_LINKS+=("$host_if")
    json="$json${json:+,}{\"name\":\"$ns\",\"host\":\"$host_addr\",\"address\":\"$ns_addr\"}"
  done
  export SALESCAST_TEST_NETNS="[$json]"
  echo "== $label: network namespaces ${NETNS_MADE[*]} on 10.213.$octet.0/24 for the multi-host check"
}

netns_teardown() {
  local ns link
  for ns in "${NETNS_MADE[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  for link in "${NETNS_LINKS[@]}"; do ip link del "$link" 2>/dev/null || true; done
  NETNS_MADE=()
  NETNS_LINKS=()
}
