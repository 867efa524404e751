"""The Kent and Medway demo: one loader per area, all on one demo clock."""
