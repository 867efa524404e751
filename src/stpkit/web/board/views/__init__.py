"""Board views, one module per resource: updates (periods, workstream updates, trend),
budgets, meetings (papers, actions) and the public update."""
