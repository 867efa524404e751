"""Synthetic provider extracts for the demo and tests: the only zone that invents people."""
