"""Against the lab: the reconcile guard counts only reconciles that reached the cluster, one process limit
per `FluxTools` across threads, cached answers are copies, and fleet answers lose no item."""

import os
import threading

from fluxtools import FluxTools, WrappingRunner
from fluxtools.fleet import clusters
from lab.kubeconfig import alias_names, write_alias_kubeconfig


class Concurrency(WrappingRunner):
    """The lab's commands, counting how many run at once."""

    def __init__(self, inner):
        super().__init__(inner)
        self.lock = threading.Lock()
        self.running = self.peak = 0

    async def run(self, argv, **kwargs):
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            return await super().run(argv, **kwargs)
        finally:
            with self.lock:
                self.running -= 1


def test_reconciles_of_an_unreachable_cluster_are_never_rate_limited(lab_config):
    tools = FluxTools(lab_config("lab-unreachable", retry_attempts=1, breaker_failures=2))
    answers = [tools.call("flux_reconcile", {"kind": "kustomization", "name": "apps"}) for _ in range(3)]
    assert [answer["error_type"] for answer in answers] == ["ClusterUnreachable"] * 3


def test_six_threads_share_one_process_limit(lab_config):
    tools = FluxTools(lab_config(max_concurrency=1, cache_ttl_secs=0))
    tools.runner = counting = Concurrency(tools.runner)
    start = threading.Barrier(6)
    answers = []

    def one():
        start.wait()
        answers.append(tools.call("flux_kustomization_list", {}))

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer["success"] for answer in answers] == [True] * 6
    assert counting.peak == 1


def test_a_cached_answer_is_not_changed_by_its_reader(lab_config):
    tools = FluxTools(lab_config(cache_ttl_secs=60))
    first = tools.call("flux_kustomization_list", {})
    names = [item["name"] for item in first["data"]["kustomizations"]]
    first["data"]["kustomizations"].clear()
    again = tools.call("flux_kustomization_list", {})
    assert again["cached"] is True and [item["name"] for item in again["data"]["kustomizations"]] == names


def test_all_contexts_false_as_text_reads_the_configured_context_only(lab_config):
    tools = FluxTools(lab_config(fleet_contexts=["lab", "lab-unreachable"]))
    envelope = tools.call("flux_stats", {"all_contexts": "false"})
    assert envelope["success"] and "fleet" not in envelope["data"], envelope


def test_a_cluster_whose_answer_was_cut_is_partial_and_paging_reads_every_item(lab, lab_config, monkeypatch, tmp_path):
    """Each cluster's answer cut at 1 KiB (instead of 1 MiB) so that the lab's list overflows it; the lab and
    an alias of it are the fleet."""
    monkeypatch.setattr(clusters, "CLUSTER_BYTES", 1024)
    (alias,) = alias_names(1)
    kubeconfig = f"{lab['kubeconfig']}{os.pathsep}{write_alias_kubeconfig(tmp_path / 'alias.kubeconfig', 1)}"
    alone = FluxTools(lab_config()).call("flux_kustomization_list", {})["data"]
    names = {(item["namespace"], item["name"]) for item in alone["kustomizations"]}
    expected = {(context, *name) for context in ("lab", alias) for name in names}
    tools = FluxTools(lab_config(kubeconfig=kubeconfig, fleet_contexts=["lab", alias]))
    args = {"contexts": ["lab", alias], "limit": 5}
    page = tools.call("flux_kustomization_list", args)["data"]
    assert page["fleet"]["by_status"] == {"partial": 2}, page["clusters"]
    assert all(row["cut"]["of"] == alone["matched"] > row["cut"]["read"] for row in page["clusters"])
    seen = [(item["context"], item["namespace"], item["name"]) for item in page["kustomizations"]]
    while "continue" in page:
        page = tools.call("flux_kustomization_list", {**args, "continue": page["continue"]})["data"]
        assert page["kustomizations"]
        seen += [(item["context"], item["namespace"], item["name"]) for item in page["kustomizations"]]
    assert len(seen) == len(expected) and set(seen) == expected
