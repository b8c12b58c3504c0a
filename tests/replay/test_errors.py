"""The specification's error scenarios on real stderr from the lab."""


def test_permission_denied_for_the_restricted_user(lab_tools):
    tools = lab_tools(context="lab-restricted")
    denied = tools.call("flux_kustomization_list", {"namespace": "flux-system"})
    assert denied["error_type"] == "PermissionDenied"
    assert denied["error"] == "Insufficient permissions to list kustomizations in namespace 'flux-system'"
    assert "jane" in denied["hint"]
    allowed = tools.call("flux_kustomization_list", {"namespace": "team-a"})
    assert allowed["success"] and allowed["data"]["total"] >= 1


def test_restricted_user_cannot_reconcile(lab_tools):
    tools = lab_tools(context="lab-restricted")
    name = tools.call("flux_kustomization_list", {"namespace": "team-a"})["data"]["kustomizations"][0]["name"]
    envelope = tools.call("flux_suspend", {"kind": "kustomization", "name": name, "namespace": "team-a"})
    assert envelope["error_type"] == "PermissionDenied"
    assert envelope["error"] == f"Insufficient permissions to suspend kustomization/{name}"


def test_flux_not_installed(lab_tools):
    tools = lab_tools(context="lab-noflux")
    for tool, args in (("flux_kustomization_list", {}), ("flux_helmrelease_get", {"name": "x", "namespace": "apps"})):
        envelope = tools.call(tool, args)
        assert envelope["error_type"] == "FluxNotInitialized", envelope
        assert envelope["error"] == "Flux not installed in cluster. Run: flux install"


def test_cluster_unreachable(lab_tools):
    envelope = lab_tools(context="lab-unreachable", retry_attempts=2, retry_max_delay_secs=2).call(
        "flux_kustomization_list", {}
    )
    assert envelope["error_type"] == "ClusterUnreachable"
    assert envelope["error"].startswith("Unable to connect to cluster. Check kubeconfig at ")
    assert envelope["attempts"] == 2


def test_invalid_kubeconfig(lab_tools):
    envelope = lab_tools(kubeconfig="garbled_kubeconfig").call("flux_kustomization_list", {})
    assert envelope["error_type"] == "InvalidKubeconfig"
    assert envelope["error"].startswith("Unable to connect to cluster. Check kubeconfig at ")


def test_policy_refuses_before_rbac_would(lab_tools):
    tools = lab_tools(context="lab-restricted", enforce_namespace=True, namespace="team-a")
    refused = tools.call("flux_kustomization_list", {"namespace": "flux-system"})
    assert refused["error_type"] == "PolicyDenied"  # our message; no command ran (the cassette has none for it)
    assert refused["error"] == "Namespace 'flux-system' is outside the allowed namespaces (team-a)"
    scoped = tools.call("flux_kustomization_list", {})
    assert scoped["success"] and {item["namespace"] for item in scoped["data"]["kustomizations"]} == {"team-a"}
