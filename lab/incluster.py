#!/usr/bin/env python3
"""Run a command with the service-account namespace file a pod has, without touching the host.

Usage: unshare --mount --propagation private -- incluster.py NAMESPACE -- CMD [ARGS...]

controller-runtime places its leader-election Lease in the namespace read from
/var/run/secrets/kubernetes.io/serviceaccount/namespace, and refuses leader election
out of a cluster without it. Inside the private mount namespace `unshare` made, /run
(where /var/run points) becomes a small tmpfs holding only that file; the host's /run
is untouched. Then the command replaces this process.
"""

import os
import subprocess
import sys

ACCOUNT = "/run/secrets/kubernetes.io/serviceaccount"


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    namespace, cmd = sys.argv[1], sys.argv[3:]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "lab-run", "/run"], check=True)
    os.makedirs(ACCOUNT)
    with open(os.path.join(ACCOUNT, "namespace"), "w", encoding="utf-8") as out:
        out.write(namespace)
    os.execvp(cmd[0], cmd)
    return 127  # not reached: execvp replaces this process or raises


if __name__ == "__main__":
    sys.exit(main())
