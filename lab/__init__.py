"""The fluxtools lab: a real Kubernetes API server and the real Flux controllers as local processes.

`lab/labctl.py` is the command line; the modules here each do one part of it (see lab/README.md).
Standard library only, so the lab runs before the package or its dependencies are installed.
"""
