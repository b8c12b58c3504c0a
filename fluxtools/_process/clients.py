"""`Clients`: the kubectl and flux command lines of one configuration.

Every argv a tool builds starts here, with the connection flags (`--kubeconfig`,
`--context`) the configuration names; a kubeconfig list (`a:b`) goes to the
child's environment instead, as `KUBECONFIG`.
"""

from __future__ import annotations

import os

from fluxtools._config import FluxConfig


class Clients:
    def __init__(self, config: FluxConfig) -> None:
        self.config = config

    def connection_flags(self) -> list[str]:
        flags: list[str] = []
        kubeconfig = self.config.kubeconfig
        if kubeconfig and os.pathsep not in kubeconfig:
            flags += ["--kubeconfig", kubeconfig]
        if self.config.context:
            flags += ["--context", self.config.context]
        return flags

    def kubectl(self, *args: str) -> list[str]:
        return [self.config.kubectl_path, *self.connection_flags(), *args]

    def flux(self, *args: str) -> list[str]:
        return [self.config.flux_path, *self.connection_flags(), *args]

    @staticmethod
    def namespace_flags(namespace: str | None) -> list[str]:
        """`-n NAMESPACE`, or `-A` for all namespaces."""
        return ["-n", namespace] if namespace else ["-A"]

    def env(self) -> dict[str, str] | None:
        """The child's environment when it differs from ours (a kubeconfig list), else None."""
        kubeconfig = self.config.kubeconfig
        if kubeconfig and os.pathsep in kubeconfig:
            return {**os.environ, "KUBECONFIG": kubeconfig}
        return None
