# Sourced by the ci scripts that run something as a temporary unprivileged user.

# Ends the user's processes and removes the user, its home and its JVM perf data; quiet if there is no such user.
test_user_remove() { # name
  pkill -KILL -u "$1" 2>/dev/null || true
  userdel --remove "$1" 2>/dev/null || true
  rm -rf "/tmp/hsperfdata_$1"
}

# Creates the user with a home, first removing one left over from an interrupted run.
test_user_add() { # name
  if id "$1" >/dev/null 2>&1; then
    echo "removing user $1 left over from an interrupted run"
    test_user_remove "$1"
  fi
  useradd --create-home --shell /bin/sh "$1"
}
