"""Rendering shared by the backends: the Jinja environment and the inline typography pass."""
