"""Continuous deployment of RMS instances: the logic behind `fab` (see fabfile.py)."""
