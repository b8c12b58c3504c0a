"""Which Leases are a controller's: its own name, or that name and a shard's suffix; nothing else."""

from fluxtools._flux.leases import renewals_of


def lease(name, holder="pod-1", renewed="2026-01-01T00:00:00.000000Z"):
    return {"metadata": {"name": name}, "spec": {"holderIdentity": holder, "renewTime": renewed}}


def test_a_controllers_leases_are_its_own_and_its_shards():
    document = {
        "items": [
            lease("kustomize-controller-leader-election"),
            lease("kustomize-controller-leader-election-1a2b3c4d", holder="shard-1"),
            lease("kustomize-controller-leader-elections"),
            lease("helm-controller-leader-election"),
            {"metadata": {}},
        ]
    }
    assert renewals_of(document, "kustomize-controller") == {
        "kustomize-controller-leader-election": ("pod-1", "2026-01-01T00:00:00.000000Z"),
        "kustomize-controller-leader-election-1a2b3c4d": ("shard-1", "2026-01-01T00:00:00.000000Z"),
    }
    assert renewals_of(document, "source-controller") == {}
    assert renewals_of({}, "source-controller") == {}
