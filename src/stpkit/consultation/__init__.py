"""Consultation analysis: responses, closed-question statistics, open-text themes."""
