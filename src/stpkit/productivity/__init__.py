"""Productivity: benchmark-based opportunity, working-group targets, savings delivery."""
