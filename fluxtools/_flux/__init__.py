"""Flux knowledge: how Flux objects are read, judged and shown.

- `fields`: reading an object's metadata, spec and status (references, Helm history, artifacts).
- `conditions`: condition logic (Ready, Stalled, Reconciling, suspension, the one-word state).
- `views`: the per-kind summaries and details the list and get tools return.
"""
