"""Analyses over the pseudonymised store: costing, segments, tiers, projection."""
