"""Shared synthetic inputs for the unit tests (also used by the MCP tests)."""


def ready_object(kind="Kustomization", suspend=False, requested=None, handled=None, ready="True", generation=1):
    return {
        "kind": kind,
        "metadata": {
            "name": "apps",
            "namespace": "flux-system",
            "generation": generation,
            "annotations": {"reconcile.fluxcd.io/requestedAt": requested} if requested else {},
        },
        "spec": {"suspend": suspend, "sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
        "status": {
            "lastHandledReconcileAt": handled,
            "lastAppliedRevision": "main@sha1:abc",
            "conditions": [
                {"type": "Ready", "status": ready, "reason": "X", "message": "m", "observedGeneration": generation}
            ],
        },
    }
