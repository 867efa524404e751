"""Governed access: the only way counts leave the pseudonymised zone."""
