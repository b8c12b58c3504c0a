"""Development tools (documentation generators), run from a checkout as `python -m scripts.<tool>`.

Not part of the wheel: the package build includes `fluxtools*` only.
"""
